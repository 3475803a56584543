using System.Diagnostics;
using System.Globalization;

namespace Hangar.FunctionalTests.Sqlite;

/// <summary>
/// The app side, as Fly's SQLite guide has it: Python's sqlite3 with the seed's PRAGMAs (WAL, synchronous=NORMAL,
/// cache_size, foreign_keys, temp_store). A writer commits one row per transaction and logs "id unix-time" after each
/// commit, so a test knows what was acknowledged and when.
/// </summary>
internal static class PythonSqlite
{
    private const string Pragmas = """
        import sqlite3, sys, time
        def connect(path):
            c = sqlite3.connect(path, isolation_level=None)
            for p in ("journal_mode = WAL", "synchronous = NORMAL", "cache_size = 10000", "foreign_keys = ON", "temp_store = MEMORY"):
                c.execute("PRAGMA " + p)
            return c

        """;

    private const string Writer = Pragmas + """
        c = connect(sys.argv[1])
        c.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        log = open(sys.argv[2], "a", buffering=1)
        while True:
            c.execute("BEGIN")
            rowid = c.execute("INSERT INTO events (body) VALUES (?)", ("x" * 200,)).lastrowid
            c.execute("COMMIT")
            log.write("%d %.6f\n" % (rowid, time.time()))
            time.sleep(0.01)
        """;

    /// <summary>Makes the database with the events table, in WAL mode, and adds <paramref name="rows"/> rows in one transaction.</summary>
    public static Task InsertAsync(string path, int rows) => RunAsync(Pragmas + """
        c = connect(sys.argv[1])
        c.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        c.execute("BEGIN")
        for _ in range(int(sys.argv[2])):
            c.execute("INSERT INTO events (body) VALUES ('batch')")
        c.execute("COMMIT")
        """, path, rows.ToString(CultureInfo.InvariantCulture));

    /// <summary>A database in the default rollback-journal mode.</summary>
    public static Task CreateRollbackAsync(string path) => RunAsync("""
        import sqlite3, sys
        c = sqlite3.connect(sys.argv[1])
        c.execute("CREATE TABLE t (x)")
        c.commit()
        """, path);

    public static async Task<long[]> IdsAsync(string path)
    {
        var output = await RunAsync("""
            import sqlite3, sys
            for (i,) in sqlite3.connect(sys.argv[1]).execute("SELECT id FROM events ORDER BY id"):
                print(i)
            """, path);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => long.Parse(l, CultureInfo.InvariantCulture))];
    }

    public static Process StartWriter(string path, string log)
    {
        var start = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", Writer, path, log })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static async Task<string> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"python3 failed: {await stderr}");
    }
}
