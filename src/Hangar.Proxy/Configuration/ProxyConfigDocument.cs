using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hangar.Proxy.Configuration;

/// <summary>
/// The contract of proxy.json: the daemon writes it (<see cref="ToJson"/>), the proxy reads it
/// (<see cref="ProxyConfigReader"/>). Every field optional so the reader can report all problems at once.
/// </summary>
public sealed class ProxyConfigDocument
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

    /// <summary>Indented, fields left unset omitted; the same document always gives the same text (the daemon compares it to skip a rewrite).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ProxyConfigJsonContext.Default.ProxyConfigDocument);

    /// <summary>Strict: an unknown member is an error, so a misspelt field never falls back to a default silently.</summary>
    /// <exception cref="JsonException">Not valid JSON, or a member this contract does not know.</exception>
    public static ProxyConfigDocument? FromJson(string json) => JsonSerializer.Deserialize(json, ProxyConfigJsonContext.Default.ProxyConfigDocument);
}
