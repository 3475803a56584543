using System.Text.Json;

namespace Hangar.Proxy.Status;

/// <summary>
/// The contract of the status file next to the config: the proxy writes it (<see cref="StatusFileWriter"/>), the
/// daemon reads it (<see cref="Read"/>) for `postgres status` and to know where the proxy routes.
/// </summary>
/// <param name="Leader">The node new connections go to; null while there is none (they wait).</param>
/// <param name="TotalConnections">Client connections accepted since the proxy started.</param>
/// <param name="Metrics">HOST:PORT of the proxy's /metrics listener; null without one.</param>
public sealed record ProxyStatus(
    string Cluster,
    string Listen,
    int Pid,
    string? Leader,
    DateTimeOffset LeaderSince,
    int ActiveConnections,
    long TotalConnections,
    IReadOnlyList<ProxyNodeStatus> Nodes,
    DateTimeOffset UpdatedAt,
    string? Metrics = null)
{
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, StatusJsonContext.Default.ProxyStatus);

    /// <summary>The file at <paramref name="path"/>; null when it is missing, unreadable or not this contract (a proxy not started yet, a torn write).</summary>
    public static ProxyStatus? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), StatusJsonContext.Default.ProxyStatus);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }
}
