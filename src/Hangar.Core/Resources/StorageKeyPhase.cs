namespace Hangar.Core.Resources;

public enum StorageKeyPhase
{
    /// <summary>Recorded; the reconciler is putting it into the S3 server.</summary>
    Pending,

    /// <summary>Accepted by the S3 server.</summary>
    Active,

    /// <summary>Being removed from the S3 server, then the record goes.</summary>
    Revoking,
}
