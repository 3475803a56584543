using Hangar.Core.Errors;
using Hangar.Daemon.Sqlite;
using Xunit;

namespace Hangar.Daemon.Tests.Sqlite;

public sealed class SqliteFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hangar-sqlitefile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_database_in_wal_mode_passes() => SqliteFile.Check(Write("wal.db", Header(2)));

    [Fact]
    public void A_rollback_journal_database_is_told_how_to_switch() =>
        Assert.Contains("PRAGMA journal_mode=WAL;", Refused(Write("journal.db", Header(1))), StringComparison.Ordinal);

    [Fact]
    public void Missing_files_directories_short_files_and_other_files_are_refused()
    {
        Assert.Contains("does not exist", Refused(Path.Combine(_dir, "missing.db")), StringComparison.Ordinal);
        Assert.Contains("is a directory", Refused(_dir), StringComparison.Ordinal);
        Assert.Contains("is not a SQLite database", Refused(Write("short.db", Header(2)[..50])), StringComparison.Ordinal);
        Assert.Contains("is not a SQLite database", Refused(Write("text.db", new byte[200])), StringComparison.Ordinal);
    }

    private static string Refused(string path) => Assert.Throws<HangarException>(() => SqliteFile.Check(path)).Message;

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A 100-byte SQLite header whose write and read versions (bytes 18, 19) say 1 (rollback) or 2 (WAL).</summary>
    private static byte[] Header(byte version)
    {
        var header = new byte[100];
        "SQLite format 3\0"u8.CopyTo(header);
        header[18] = version;
        header[19] = version;
        return header;
    }
}
