namespace Hangar.Daemon.Sqlite;

/// <summary>
/// The whitespace-aligned tables `litestream generations`, `snapshots` and `wal` print: a header row of column names,
/// then one row per item. Values never hold spaces (names, hex ids, sizes, durations, RFC 3339 times).
/// </summary>
internal sealed class LitestreamTable
{
    private readonly string[] _columns;
    private readonly List<string[]> _rows;

    private LitestreamTable(string[] columns, List<string[]> rows)
    {
        _columns = columns;
        _rows = rows;
    }

    public int Count => _rows.Count;

    public static LitestreamTable Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return new LitestreamTable([], []);
        }

        var columns = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var rows = lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(r => r.Length == columns.Length).ToList();
        return new LitestreamTable(columns, rows);
    }

    public IEnumerable<string> Column(string name)
    {
        var index = Array.IndexOf(_columns, name);
        return index < 0 ? [] : _rows.Select(r => r[index]);
    }

    public IEnumerable<IReadOnlyDictionary<string, string>> Rows() =>
        _rows.Select(r => (IReadOnlyDictionary<string, string>)_columns.Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
}
