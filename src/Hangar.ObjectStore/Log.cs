using Microsoft.Extensions.Logging;

namespace Hangar.ObjectStore;

/// <summary>Event ids 3000-3099 belong to the S3 server.</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Information, "S3 server listening on {Addresses}, data dir {DataDir}")]
    public static partial void Listening(ILogger logger, string addresses, string dataDir);

    [LoggerMessage(3001, LogLevel.Information, "Removed {Count} orphaned blobs left by an interrupted write")]
    public static partial void OrphansRemoved(ILogger logger, int count);

    [LoggerMessage(3002, LogLevel.Error, "S3 {Operation} {Resource} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string operation, string resource);

    [LoggerMessage(3003, LogLevel.Debug, "S3 {Operation} {Resource}: client went away ({Reason})")]
    public static partial void ClientAborted(ILogger logger, string operation, string resource, string reason);

    [LoggerMessage(3004, LogLevel.Information, "Bucket {Bucket} created by key {AccessKeyId}")]
    public static partial void BucketCreated(ILogger logger, string bucket, string accessKeyId);

    [LoggerMessage(3005, LogLevel.Information, "Admin: {Action} {Resource}")]
    public static partial void AdminChange(ILogger logger, string action, string resource);

    [LoggerMessage(3006, LogLevel.Warning, "Shadow bucket {Bucket}: upstream {Operation} failed: {Reason}")]
    public static partial void ShadowFailed(ILogger logger, string bucket, string operation, string reason);

    [LoggerMessage(3007, LogLevel.Information, "Shadow bucket {Bucket}: copied {Key} from upstream")]
    public static partial void ShadowFetched(ILogger logger, string bucket, string key);

    [LoggerMessage(3008, LogLevel.Information, "Generated a self-signed TLS certificate at {Path}")]
    public static partial void CertificateGenerated(ILogger logger, string path);

    [LoggerMessage(3009, LogLevel.Warning, "S3 {Operation} {Resource} refused: data disk full ({Reason})")]
    public static partial void StorageFull(ILogger logger, string operation, string resource, string reason);
}
