using Hangar.Core.Errors;

namespace Hangar.Daemon.Sqlite;

/// <summary>
/// What `sqlite replicate` checks of a file before anything is made: that it exists, is a SQLite database (the
/// 16-byte header) and is in WAL mode. Litestream ships WAL frames, so a database in rollback-journal mode would be
/// snapshotted once and then never replicated; the header's write and read versions (bytes 18 and 19) are 2 exactly
/// when `PRAGMA journal_mode=WAL` has been set, and the setting is kept in the file.
/// </summary>
internal static class SqliteFile
{
    private static readonly byte[] Magic = "SQLite format 3\0"u8.ToArray();

    public static void Check(string path)
    {
        var shown = Printable.Quote(path);
        if (Directory.Exists(path))
        {
            throw HangarException.Invalid($"{shown} is a directory: give the path of a SQLite database file");
        }

        if (!File.Exists(path))
        {
            throw HangarException.Invalid($"{shown} does not exist: give the path of an existing SQLite database file");
        }

        var header = new byte[100];
        int read;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw HangarException.Invalid($"{shown} cannot be read by the daemon: {ex.Message}");
        }

        if (read < header.Length || !header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw HangarException.Invalid($"{shown} is not a SQLite database (no 'SQLite format 3' header)");
        }

        if (header[18] != 2 || header[19] != 2)
        {
            throw HangarException.Invalid($"{shown} is in rollback-journal mode; Litestream needs WAL: run `PRAGMA journal_mode=WAL;` on it once (it stays set)");
        }
    }
}
