using System.Net;
using Microsoft.Extensions.Logging;

namespace Hangar.Proxy.Diagnostics;

// Event ids 7000-7099 belong to the proxy.
internal static partial class ProxyLog
{
    [LoggerMessage(7000, LogLevel.Information, "Proxy for cluster {Cluster} listening on {EndPoint} with {NodeCount} nodes")]
    public static partial void Listening(this ILogger logger, string cluster, EndPoint endPoint, int nodeCount);

    [LoggerMessage(7001, LogLevel.Information, "Cluster {Cluster}: leader {Previous} -> {Leader} ({Reason})")]
    public static partial void LeaderChanged(this ILogger logger, string cluster, string previous, string leader, string reason);

    [LoggerMessage(7002, LogLevel.Information, "Cluster {Cluster}: closed {Count} connections to former leader {Node}")]
    public static partial void ClosedConnections(this ILogger logger, string cluster, int count, string node);

    [LoggerMessage(7003, LogLevel.Warning, "Cluster {Cluster}: nodes {Nodes} all claim to be leader; keeping {Leader}")]
    public static partial void SeveralLeaders(this ILogger logger, string cluster, string nodes, string leader);

    [LoggerMessage(7004, LogLevel.Debug, "Cluster {Cluster}: Patroni of node {Node} unreachable: {Error}")]
    public static partial void ProbeFailed(this ILogger logger, string cluster, string node, string error);

    [LoggerMessage(7005, LogLevel.Warning, "Cluster {Cluster}: no leader within {Seconds} s, closing connection from {Client}")]
    public static partial void NoLeader(this ILogger logger, string cluster, double seconds, EndPoint? client);

    [LoggerMessage(7006, LogLevel.Warning, "Cluster {Cluster}: connecting to leader {Node} at {Target} failed: {Error}")]
    public static partial void ConnectFailed(this ILogger logger, string cluster, string node, string target, string error);

    [LoggerMessage(7007, LogLevel.Information, "Cluster {Cluster}: config reloaded, nodes {Nodes}")]
    public static partial void ConfigReloaded(this ILogger logger, string cluster, string nodes);

    [LoggerMessage(7008, LogLevel.Error, "Cluster {Cluster}: config not reloaded, keeping the previous one: {Problems}")]
    public static partial void ConfigRejected(this ILogger logger, string cluster, string problems);

    [LoggerMessage(7009, LogLevel.Warning, "Cluster {Cluster}: listen address change to {EndPoint} needs a restart of the proxy; still on {Current}")]
    public static partial void ListenChangeIgnored(this ILogger logger, string cluster, EndPoint endPoint, EndPoint current);

    [LoggerMessage(7010, LogLevel.Error, "Cluster {Cluster}: accepting connections failed")]
    public static partial void AcceptFailed(this ILogger logger, string cluster, Exception exception);

    [LoggerMessage(7011, LogLevel.Error, "Cluster {Cluster}: connection from {Client} failed unexpectedly")]
    public static partial void ConnectionFailed(this ILogger logger, string cluster, EndPoint? client, Exception exception);

    [LoggerMessage(7012, LogLevel.Warning, "Cluster {Cluster}: writing status file {Path} failed: {Error}")]
    public static partial void StatusWriteFailed(this ILogger logger, string cluster, string path, string error);

    [LoggerMessage(7013, LogLevel.Information, "Cluster {Cluster}: proxy stopping")]
    public static partial void Stopping(this ILogger logger, string cluster);

    [LoggerMessage(7014, LogLevel.Information, "Cluster {Cluster}: kernel steering on: new connections go straight to the leader's listening socket")]
    public static partial void SteeringOn(this ILogger logger, string cluster);

    [LoggerMessage(7015, LogLevel.Warning, "Cluster {Cluster}: kernel steering unavailable ({Reason}); forwarding in this process")]
    public static partial void SteeringUnavailable(this ILogger logger, string cluster, string reason);

    [LoggerMessage(7016, LogLevel.Information, "Cluster {Cluster}: new connections steered to {Node} (postmaster {Pid})")]
    public static partial void Steered(this ILogger logger, string cluster, string node, int pid);

    [LoggerMessage(7017, LogLevel.Warning, "Cluster {Cluster}: cannot steer to {Node} ({Reason}); forwarding its connections in this process")]
    public static partial void SteerFailed(this ILogger logger, string cluster, string node, string reason);

    [LoggerMessage(7018, LogLevel.Information, "Cluster {Cluster}: terminated {Count} steered connections of the old leader (postmaster {Pid})")]
    public static partial void SteeredTerminated(this ILogger logger, string cluster, int count, int pid);

    [LoggerMessage(7019, LogLevel.Error, "Cluster {Cluster}: kernel steering stopped after an error; forwarding in this process")]
    public static partial void SteeringFailed(this ILogger logger, string cluster, Exception exception);

    [LoggerMessage(7020, LogLevel.Information, "Cluster {Cluster}: a connection found no leader; wake requested ({WakeFile})")]
    public static partial void WakeRequested(this ILogger logger, string cluster, string wakeFile);

    [LoggerMessage(7021, LogLevel.Warning, "Cluster {Cluster}: cannot write the wake request {WakeFile}: {Reason}")]
    public static partial void WakeFailed(this ILogger logger, string cluster, string wakeFile, string reason);
}
