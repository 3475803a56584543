using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Redis;

internal static class RedisFormat
{
    public static void Created(RedisCreated created)
    {
        var r = created.Instance;
        Output.Line($"Redis {r.Name} is running on {r.Host}:{r.Port} (maxmemory {r.MaxMemoryMb} MB, {r.EvictionPolicy}, persistence {r.Persistence}).");
        Output.Line(string.Empty);
        Output.Line("Your Redis URL (shown once; `hangar redis attach` sets it on an app):");
        Output.Line($"  {created.Url}");
    }

    public static void Table(IReadOnlyList<RedisInstanceInfo> all) =>
        Output.Table(["name", "state", "region", "address", "maxmemory", "eviction", "persistence", "apps", "created"],
            all.Select(r => new[]
            {
                r.Name, r.State, r.Region, r.Port is { } port ? $"{r.Host}:{port}" : "-", $"{r.MaxMemoryMb} MB", r.EvictionPolicy, r.Persistence,
                r.Apps.Count == 0 ? "-" : string.Join(",", r.Apps), Output.Ago(r.CreatedAt),
            }));

    public static void Status(RedisStatusInfo s)
    {
        var r = s.Instance;
        var fields = new List<(string, string?)>
        {
            ("Name", r.Name),
            ("State", $"{r.State} (process {s.ProcessState}{(s.Pid is { } pid ? $", pid {pid}" : string.Empty)}{(s.Adopted ? ", adopted" : string.Empty)}, {s.Restarts} restarts)"),
            ("Region", r.Region),
            ("Address", r.Port is { } port ? $"{r.Host}:{port}" : "-"),
            ("User", r.User),
            ("Volume", r.VolumeId),
            ("Apps", r.Apps.Count == 0 ? "-" : string.Join(", ", r.Apps)),
        };
        if (s.Unreachable is { } why)
        {
            fields.Add(("Server", "not answering: " + why));
        }
        else
        {
            fields.Add(("Version", s.Version));
            fields.Add(("Memory", $"{Output.Bytes(s.UsedMemoryBytes ?? 0)} used of {Output.Bytes(s.MaxMemoryBytes ?? 0)} ({r.EvictionPolicy}, {s.EvictedKeys ?? 0} evicted)"));
            fields.Add(("Keys", s.Keys?.ToString()));
            fields.Add(("Clients", s.ConnectedClients?.ToString()));
            fields.Add(("Ops/s", s.OpsPerSecond?.ToString()));
            fields.Add(("Persistence", r.Persistence switch
            {
                "aof" => $"aof, fsync every second (last write {s.AofLastWriteStatus})",
                "rdb" => $"rdb snapshots (last {s.RdbLastSaveStatus}, {s.ChangesSinceLastSave} changes since)",
                _ => "none",
            }));
            fields.Add(("Last save", s.LastSaveAt is { } at ? $"{at:u} ({Output.Ago(at)})" : "-"));
            fields.Add(("Uptime", s.UptimeSeconds is { } up ? TimeSpan.FromSeconds(up).ToString() : null));
        }

        Output.Fields([.. fields]);
    }
}
