using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Hangar.Core.Names;

namespace Hangar.Proxy.Configuration;

/// <summary>Reads and validates the proxy's JSON config, reporting every problem at once.</summary>
internal static class ProxyConfigReader
{
    // 150 ms keeps failover detection well under the 1 s budget (a flip is seen within one
    // interval plus one probe round trip) while costing each Patroni only ~7 cheap GETs a second.
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(150);
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromMilliseconds(800);
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan DefaultLeaderWaitTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan DefaultLeaderUnreachableGrace = TimeSpan.FromSeconds(3);

    public static string DefaultStatusPath(string configPath)
    {
        var full = Path.GetFullPath(configPath);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + ".status.json");
    }

    public static async Task<ProxyConfigResult> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ProxyConfigResult.Invalid([$"cannot read config '{path}': {e.Message}"]);
        }

        return Parse(text);
    }

    public static ProxyConfigResult Parse(string json)
    {
        ProxyConfigDocument? document;
        try
        {
            document = ProxyConfigDocument.FromJson(json);
        }
        catch (JsonException e)
        {
            return ProxyConfigResult.Invalid([$"config is not valid JSON: {e.Message}"]);
        }

        if (document is null)
        {
            return ProxyConfigResult.Invalid(["config is empty (null)"]);
        }

        var problems = new List<string>();
        if (ResourceNames.Problem("cluster", document.Cluster) is { } clusterProblem)
        {
            problems.Add(clusterProblem);
        }

        IPEndPoint? listen = null;
        if (string.IsNullOrWhiteSpace(document.Listen))
        {
            problems.Add("listen is required, e.g. \"127.0.0.1:5432\" or \"[::]:5432\"");
        }
        else if (!IPEndPoint.TryParse(document.Listen, out listen) || listen.Port is < 0 or > 65535 || !document.Listen.Contains(':', StringComparison.Ordinal))
        {
            problems.Add($"invalid listen '{document.Listen}': expected IP:PORT, e.g. \"127.0.0.1:5432\" or \"[::]:5432\"");
            listen = null;
        }

        var nodes = ImmutableArray.CreateBuilder<ProxyNodeConfig>();
        if (document.Nodes is null)
        {
            problems.Add("nodes is required (it may be empty while a cluster is being created)");
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < document.Nodes.Count; i++)
            {
                if (ReadNode(document.Nodes[i], i, seen, problems) is { } node)
                {
                    nodes.Add(node);
                }
            }
        }

        var poll = Milliseconds(document.PollIntervalMs, "pollIntervalMs", 10, 60_000, DefaultPollInterval, problems);
        var probe = Milliseconds(document.ProbeTimeoutMs, "probeTimeoutMs", 10, 60_000, DefaultProbeTimeout, problems);
        var connect = Milliseconds(document.ConnectTimeoutMs, "connectTimeoutMs", 10, 120_000, DefaultConnectTimeout, problems);
        var wait = Milliseconds(document.LeaderWaitTimeoutMs, "leaderWaitTimeoutMs", 0, 600_000, DefaultLeaderWaitTimeout, problems);
        var grace = Milliseconds(document.LeaderUnreachableGraceMs, "leaderUnreachableGraceMs", 0, 600_000, DefaultLeaderUnreachableGrace, problems);

        if (document.StatusFile is { Length: 0 })
        {
            problems.Add("statusFile must be a path or omitted");
        }

        if (problems.Count > 0)
        {
            return ProxyConfigResult.Invalid(problems);
        }

        return ProxyConfigResult.Valid(new ProxyConfig
        {
            Cluster = document.Cluster!,
            Listen = listen!,
            Nodes = nodes.ToImmutable(),
            PollInterval = poll,
            ProbeTimeout = probe,
            ConnectTimeout = connect,
            LeaderWaitTimeout = wait,
            LeaderUnreachableGrace = grace,
            StatusFile = document.StatusFile,
            KernelSteering = document.KernelSteering ?? false,
        });
    }

    private static ProxyNodeConfig? ReadNode(ProxyNodeDocument? node, int index, HashSet<string> seen, List<string> problems)
    {
        var at = $"nodes[{index}]";
        if (node is null)
        {
            problems.Add($"{at} is null");
            return null;
        }

        var before = problems.Count;
        if (string.IsNullOrWhiteSpace(node.Name))
        {
            problems.Add($"{at}.name is required");
        }
        else if (!seen.Add(node.Name))
        {
            problems.Add($"{at}.name '{node.Name}' is used by another node");
        }

        if (string.IsNullOrWhiteSpace(node.Host))
        {
            problems.Add($"{at}.host is required");
        }

        if (node.Port is not (> 0 and <= 65535))
        {
            problems.Add($"{at}.port must be 1-65535, got {(node.Port?.ToString() ?? "nothing")}");
        }

        Uri? patroni = null;
        if (string.IsNullOrWhiteSpace(node.PatroniUrl)
            || !Uri.TryCreate(node.PatroniUrl, UriKind.Absolute, out patroni)
            || patroni.Scheme is not ("http" or "https"))
        {
            problems.Add($"{at}.patroniUrl must be an absolute http(s) URL, got '{node.PatroniUrl}'");
        }

        return problems.Count == before ? new ProxyNodeConfig(node.Name!, node.Host!, node.Port!.Value, patroni!) : null;
    }

    private static TimeSpan Milliseconds(int? value, string name, int min, int max, TimeSpan fallback, List<string> problems)
    {
        if (value is null)
        {
            return fallback;
        }

        if (value < min || value > max)
        {
            problems.Add($"{name} must be {min}-{max}, got {value}");
            return fallback;
        }

        return TimeSpan.FromMilliseconds(value.Value);
    }
}
