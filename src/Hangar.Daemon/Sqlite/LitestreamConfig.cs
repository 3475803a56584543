using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Hangar.Core.Errors;
using Hangar.Core.Resources;

namespace Hangar.Daemon.Sqlite;

/// <summary>
/// The litestream.yml of a replicated database, in the shape Fly's docs show (`dbs: - path: ... replicas: - url:
/// s3://BUCKET/NAME`) plus what Hangar's S3 server needs: its endpoint over plain HTTP on loopback, path-style
/// addressing and the signing region. Credentials are never in it: Litestream 0.3.13 reads LITESTREAM_ACCESS_KEY_ID
/// and LITESTREAM_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) from its environment.
/// The daemon's own copy and the one `sqlite config` prints come from here, so what users run is what Hangar runs.
/// </summary>
internal static partial class LitestreamConfig
{
    public const string AccessKeyVariable = "LITESTREAM_ACCESS_KEY_ID";
    public const string SecretKeyVariable = "LITESTREAM_SECRET_ACCESS_KEY";

    public const string DefaultSyncInterval = "1s";
    public const string DefaultRetention = "72h";
    public const string DefaultSnapshotInterval = "24h";

    public static string Render(IEnumerable<SqliteRecord> databases, string endpoint, string region)
    {
        var yaml = new StringBuilder("dbs:\n");
        foreach (var db in databases)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"- path: {Quote(db.Path)}\n");
            yaml.Append("  replicas:\n");
            yaml.Append(CultureInfo.InvariantCulture, $"  - url: s3://{db.Bucket}/{db.Name}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    endpoint: {endpoint}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    region: {region}\n");
            yaml.Append("    force-path-style: true\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    retention: {db.Retention}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    sync-interval: {db.SyncInterval}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    snapshot-interval: {db.SnapshotInterval}\n");
        }

        return yaml.ToString();
    }

    /// <summary>Checks the three durations together (every problem at once); values are Go durations as Litestream reads them.</summary>
    public static void CheckDurations(string syncInterval, string retention, string snapshotInterval, ProblemList problems)
    {
        Check("--sync-interval", syncInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), "100ms to 1h", problems);
        var keep = Check("--retention", retention, TimeSpan.FromHours(1), TimeSpan.FromDays(365), "1h to 8760h", problems);
        var snapshot = Check("--snapshot-interval", snapshotInterval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365), "1m to 8760h", problems);
        if (keep is { } k && snapshot is { } s && s > k)
        {
            // Litestream removes snapshots older than the retention; with fewer snapshots than that, a restore has none to start from.
            problems.Add($"invalid --snapshot-interval '{snapshotInterval}': must not be longer than --retention '{retention}'");
        }
    }

    /// <summary>A Go duration such as 1s, 500ms, 72h or 1h30m; null when it is not one.</summary>
    public static TimeSpan? ParseDuration(string? value)
    {
        if (value is null || !GoDuration().IsMatch(value))
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Match part in GoDurationPart().Matches(value))
        {
            var number = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "ns" => TimeSpan.Zero,
                "us" or "µs" => TimeSpan.FromMicroseconds(number),
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                _ => TimeSpan.FromHours(number),
            };
        }

        return total;
    }

    private static TimeSpan? Check(string flag, string value, TimeSpan min, TimeSpan max, string range, ProblemList problems)
    {
        var parsed = ParseDuration(value);
        if (parsed is not { } duration || duration < min || duration > max)
        {
            problems.Add($"invalid {flag} {Printable.Quote(value)}: a duration from {range}, such as {Example(flag)}");
            return null;
        }

        return duration;
    }

    private static string Example(string flag) => flag switch
    {
        "--sync-interval" => DefaultSyncInterval,
        "--retention" => DefaultRetention,
        _ => DefaultSnapshotInterval,
    };

    /// <summary>A YAML double-quoted scalar; paths with control characters are refused before they get here.</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex GoDurationPart();
}
