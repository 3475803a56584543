using Microsoft.Extensions.Logging;

namespace Hangar.State.Etcd;

public sealed partial class EtcdStore
{
    /// <summary>Event ids 2100–2149 belong to the etcd store.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "etcd endpoint {Endpoint} failed for {Path}, trying the next one: {Reason}")]
        public static partial void EndpointFailed(ILogger logger, Uri endpoint, string path, string reason);

        [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "etcd watch on {Prefix} started after revision {Revision} via {Endpoint}")]
        public static partial void WatchStarted(ILogger logger, string prefix, long revision, Uri endpoint);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "etcd watch on {Prefix} ended: {Reason}")]
        public static partial void WatchEnded(ILogger logger, string prefix, string reason);
    }
}
