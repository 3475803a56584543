using Microsoft.Extensions.Logging;

namespace Hangar.ObjectStore.Lifecycle;

/// <summary>Event ids 3050-3059: the lifecycle pass (inside the S3 server's block 3000-3099).</summary>
internal static partial class LifecycleLog
{
    [LoggerMessage(3050, LogLevel.Information, "Lifecycle bucket {Bucket}: expired {Current} current, {Noncurrent} noncurrent versions, {Markers} delete markers, aborted {Uploads} uploads{Suffix}")]
    public static partial void Pass(ILogger logger, string bucket, int current, int noncurrent, int markers, int uploads, string suffix);

    [LoggerMessage(3051, LogLevel.Warning, "Lifecycle bucket {Bucket}: pass failed, retried next interval")]
    public static partial void PassFailed(ILogger logger, Exception exception, string bucket);
}
