using System.Runtime.InteropServices;

namespace Hangar.Core.Unix;

/// <summary>
/// The modes of what Hangar keeps on disk (docs/ARCHITECTURE.md, "File modes"): owner-only files and directories,
/// and search-only directories where the postgres or redis user must pass through to a directory of its own.
/// </summary>
public static partial class FileModes
{
    /// <summary>0600.</summary>
    public const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>0700.</summary>
    public const UnixFileMode OwnerDirectory = OwnerFile | UnixFileMode.UserExecute;

    /// <summary>0711: others may pass through to a directory they own inside, but not list it.</summary>
    public const UnixFileMode PassThroughDirectory = OwnerDirectory | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// umask 077 for the daemon and so for every child it starts (they inherit it): whatever is created without an
    /// explicit mode (a log opened by the shell, a pid file, a Redis AOF) is its owner's alone. Directories that a
    /// service user must pass through are given their mode explicitly.
    /// </summary>
    public static void RestrictUmask() => _ = Umask(0x3F);

    /// <summary>chmod of an existing file or directory (no-op when absent); a symbolic link is left alone, never followed.</summary>
    public static void Restrict(string path, UnixFileMode mode)
    {
        var info = new FileInfo(path);
        if ((info.Exists || Directory.Exists(path)) && info.LinkTarget is null && (File.GetUnixFileMode(path) & ~mode) != 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) & mode);
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
