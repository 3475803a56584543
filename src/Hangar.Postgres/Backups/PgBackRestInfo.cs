using System.Text.Json;
using Hangar.Core.Errors;

namespace Hangar.Postgres.Backups;

/// <summary>The parts of `pgbackrest info --output=json` for one stanza that Hangar shows and restores from.</summary>
public sealed record PgBackRestInfo
{
    /// <summary>pgBackRest's status code: 0 ok, 1 missing stanza path, 2 no valid backups, ...</summary>
    public required int StatusCode { get; init; }

    public required string StatusMessage { get; init; }

    /// <summary>Oldest first.</summary>
    public required IReadOnlyList<PgBackRestBackup> Backups { get; init; }

    /// <summary>The first and last WAL segment in the archive, null when it is empty.</summary>
    public string? ArchiveMin { get; init; }

    public string? ArchiveMax { get; init; }

    public bool BackupRunning { get; init; }

    public static PgBackRestInfo Parse(string json, string stanza)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var entry = document.RootElement.EnumerateArray().FirstOrDefault(e => e.TryGetProperty("name", out var n) && n.GetString() == stanza);
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw new HangarException(ErrorCodes.Internal, $"pgbackrest info has no stanza '{stanza}'");
            }

            var status = entry.GetProperty("status");
            var running = status.TryGetProperty("lock", out var l) && l.TryGetProperty("backup", out var b) && b.TryGetProperty("held", out var h) && h.GetBoolean();
            string? min = null;
            string? max = null;
            // One entry per repository and database history; the range shown is the first repository's (the local one
            // unless info was asked for one --repo): another's may lag or lead, and mixing them would invent a range.
            var archives = entry.GetProperty("archive").EnumerateArray().ToList();
            var firstRepo = archives.Count == 0 ? 1 : archives.Min(RepoKey);
            foreach (var archive in archives.Where(a => RepoKey(a) == firstRepo))
            {
                // One entry per database history (a stanza-upgrade adds one); the newest's max is the archive's end.
                var aMin = archive.TryGetProperty("min", out var mi) ? mi.GetString() : null;
                var aMax = archive.TryGetProperty("max", out var ma) ? ma.GetString() : null;
                min ??= aMin;
                max = aMax ?? max;
            }

            var backups = entry.GetProperty("backup").EnumerateArray().Select(ParseBackup).OrderBy(x => x.Stop).ToList();
            return new PgBackRestInfo
            {
                StatusCode = status.GetProperty("code").GetInt32(),
                StatusMessage = status.GetProperty("message").GetString() ?? string.Empty,
                Backups = backups,
                ArchiveMin = min,
                ArchiveMax = max,
                BackupRunning = running,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new HangarException(ErrorCodes.Internal, $"unreadable pgbackrest info output: {ex.Message}");
        }
    }

    /// <summary>Which repository (1 local, 2 off-site) an archive or backup entry is in; 1 when pgBackRest omits it.</summary>
    private static int RepoKey(JsonElement element) =>
        element.TryGetProperty("database", out var database) && database.TryGetProperty("repo-key", out var key) ? key.GetInt32() : 1;

    private static PgBackRestBackup ParseBackup(JsonElement backup)
    {
        var timestamp = backup.GetProperty("timestamp");
        var lsn = backup.GetProperty("lsn");
        var archive = backup.TryGetProperty("archive", out var a) ? a : default;
        var info = backup.GetProperty("info");
        return new PgBackRestBackup
        {
            Label = backup.GetProperty("label").GetString()!,
            Type = backup.GetProperty("type").GetString()!,
            Start = DateTimeOffset.FromUnixTimeSeconds(timestamp.GetProperty("start").GetInt64()),
            Stop = DateTimeOffset.FromUnixTimeSeconds(timestamp.GetProperty("stop").GetInt64()),
            StartLsn = Lsn.Parse(lsn.GetProperty("start").GetString()!),
            StopLsn = Lsn.Parse(lsn.GetProperty("stop").GetString()!),
            WalStart = archive.ValueKind == JsonValueKind.Object ? archive.GetProperty("start").GetString() : null,
            WalStop = archive.ValueKind == JsonValueKind.Object ? archive.GetProperty("stop").GetString() : null,
            Size = info.TryGetProperty("size", out var s) ? s.GetInt64() : 0,
            StoredSize = info.TryGetProperty("repository", out var r) && r.TryGetProperty("delta", out var d) ? d.GetInt64() : 0,
            Error = backup.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.True,
            Repo = RepoKey(backup),
        };
    }
}
