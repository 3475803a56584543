using System.Text.Json.Serialization;

namespace Hangar.Proxy.Configuration;

/// <summary>The JSON file as written by the daemon; every field optional so the reader can report all problems at once.</summary>
internal sealed class ProxyConfigDocument
{
    public string? Cluster { get; set; }

    public string? Listen { get; set; }

    public List<ProxyNodeDocument>? Nodes { get; set; }

    public int? PollIntervalMs { get; set; }

    public int? ProbeTimeoutMs { get; set; }

    public int? ConnectTimeoutMs { get; set; }

    public int? LeaderWaitTimeoutMs { get; set; }

    public int? LeaderUnreachableGraceMs { get; set; }

    /// <summary>Hand new connections straight to the leader's own listening socket (BPF sk_lookup); needs root.</summary>
    public bool? KernelSteering { get; set; }

    [JsonPropertyName("statusFile")]
    public string? StatusFile { get; set; }
}
