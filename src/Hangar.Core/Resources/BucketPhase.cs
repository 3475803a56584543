namespace Hangar.Core.Resources;

public enum BucketPhase
{
    /// <summary>Recorded; the storage reconciler is creating the bucket and its key in the S3 server and setting the app's secrets.</summary>
    Pending,

    /// <summary>The bucket exists in the S3 server as the record says; updates are applied there.</summary>
    Ready,

    /// <summary>The reconciler could not make it and removed what it had made; Error says why.</summary>
    Failed,

    /// <summary>Being removed: the app's secrets, its keys, the bucket in the S3 server, then the record.</summary>
    Destroying,
}
