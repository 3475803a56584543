using System.Diagnostics;

namespace Hangar.Testing;

/// <summary>
/// A small tmpfs mounted for one test (tests run as root), so a full disk is real and bounded; unmounted on
/// dispose. Shared by the test projects that exercise a full disk: linked into each, not a project of its own.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MB at <paramref name="at"/> (created if missing) or at a new temp dir.</summary>
    public static TmpfsMount Create(int megabytes, string? at = null)
    {
        var path = at ?? Directory.CreateTempSubdirectory("hangar-tmpfs-").FullName;
        Directory.CreateDirectory(path);
        try
        {
            Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        }
        catch
        {
            Directory.Delete(path);
            throw;
        }
        return new TmpfsMount(path);
    }

    /// <summary>Writes zeros into a file until the filesystem refuses; returns the file, for the test to free later.</summary>
    public string Fill(string name = "ballast")
    {
        var file = System.IO.Path.Combine(Path, name);
        var chunk = new byte[1024 * 1024];
        using var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.None, 0);
        try
        {
            while (true)
            {
                stream.Write(chunk);
            }
        }
        catch (IOException)
        {
        }
        // Finish the last block by bytes, so not even a page is left.
        try
        {
            while (true)
            {
                stream.Write(chunk, 0, 512);
            }
        }
        catch (IOException)
        {
        }
        return file;
    }

    public void Dispose()
    {
        // Lazy: a process that still holds a file open (a daemon being stopped) does not keep the mount alive.
        Run("umount", "-l", Path);
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    private static void Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {error.Trim()}");
        }
    }
}
