using System.Globalization;

namespace Hangar.Redis.Status;

/// <summary>The fields of an INFO reply ("name:value" lines under "# Section" headers), flattened.</summary>
public sealed class InfoReply
{
    private readonly Dictionary<string, string> _fields;

    private InfoReply(Dictionary<string, string> fields) => _fields = fields;

    public IReadOnlyDictionary<string, string> Fields => _fields;

    public static InfoReply Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[line[..colon]] = line[(colon + 1)..];
            }
        }

        return new InfoReply(fields);
    }

    public string? Text(string name) => _fields.GetValueOrDefault(name);

    public long? Long(string name) =>
        _fields.TryGetValue(name, out var value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    public double? Double(string name) =>
        _fields.TryGetValue(name, out var value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>Keys over every database: the keyspace section has "db0:keys=3,expires=0,avg_ttl=0" per non-empty db.</summary>
    public long Keys()
    {
        long total = 0;
        foreach (var (name, value) in _fields)
        {
            if (!name.StartsWith("db", StringComparison.Ordinal) || !int.TryParse(name.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            foreach (var part in value.Split(','))
            {
                if (part.StartsWith("keys=", StringComparison.Ordinal) && long.TryParse(part.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var keys))
                {
                    total += keys;
                }
            }
        }

        return total;
    }
}
