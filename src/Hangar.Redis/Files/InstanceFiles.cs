using System.Text;

namespace Hangar.Redis.Files;

/// <summary>Writes an instance's config files: mode 0600, atomically (temp file, then rename), only when the content changed.</summary>
public static class InstanceFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (mode 0700) for <paramref name="owner"/>, or gives an existing one to it.</summary>
    public static void EnsureDirectory(string path, FileOwner? owner)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, OwnerOnlyDirectory);
        owner?.Apply(path);
    }

    /// <summary>True when the file was (re)written.</summary>
    public static bool WriteIfChanged(string path, string content, FileOwner? owner)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            return false;
        }

        var temp = path + ".tmp";
        File.Delete(temp);
        using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        owner?.Apply(temp);
        File.Move(temp, path, overwrite: true);
        return true;
    }
}
