using System.Globalization;
using System.Text;
using Hangar.Core.Resources;

namespace Hangar.Redis.Config;

/// <summary>Renders redis.conf. The file is regenerated from the record, so live changes (CONFIG SET) survive a restart.</summary>
public static class RedisConfigFile
{
    /// <summary>Periodic snapshots for `--persistence=rdb`: Redis's own defaults.</summary>
    public const string RdbSchedule = "3600 1 300 100 60 10000";

    /// <summary>
    /// The process title carries the config path, which is unique per data dir and instance: the supervisor checks
    /// it before adopting a pid, and redis-server rewrites its argv, so the title is what /proc shows.
    /// </summary>
    public const string ProcessTitle = "{title} {config-file} {listen-addr}";

    public static string Render(RedisSettings s)
    {
        var conf = new StringBuilder();
        conf.Append("# Written by Hangar; edits are overwritten. Change settings with `hangar redis update`.\n");
        Line(conf, "bind", s.BindAddress);
        Line(conf, "port", s.Port.ToString(CultureInfo.InvariantCulture));
        Line(conf, "protected-mode", "yes");
        Line(conf, "daemonize", "no");
        Line(conf, "logfile", Quote(string.Empty));
        Line(conf, "proc-title-template", Quote(ProcessTitle));
        Line(conf, "dir", Quote(s.DataDirectory));
        Line(conf, "aclfile", Quote(s.AclFile));
        Line(conf, "maxmemory", s.MaxMemoryMb.ToString(CultureInfo.InvariantCulture) + "mb");
        Line(conf, "maxmemory-policy", RedisPlan.EvictionPolicy(s.Eviction));
        Line(conf, "appendonly", s.Persistence == RedisPersistence.Aof ? "yes" : "no");
        Line(conf, "appendfsync", "everysec");
        Line(conf, "save", s.Persistence == RedisPersistence.Rdb ? RdbSchedule : Quote(string.Empty));
        Line(conf, "dbfilename", "dump.rdb");
        return conf.ToString();
    }

    /// <summary>The settings `hangar redis update` changes, as CONFIG SET pairs for the running server.</summary>
    public static IReadOnlyList<string> LiveSettings(RedisSettings s) =>
        ["maxmemory", s.MaxMemoryMb.ToString(CultureInfo.InvariantCulture) + "mb", "maxmemory-policy", RedisPlan.EvictionPolicy(s.Eviction)];

    /// <summary>A redis.conf string argument: double-quoted with backslash escapes (sdssplitargs).</summary>
    public static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }

    private static void Line(StringBuilder conf, string name, string value) => conf.Append(name).Append(' ').Append(value).Append('\n');
}
