namespace Hangar.Client.Models;

/// <summary>`storage create`. Without a name one is generated; without an app the credentials are returned instead of set.</summary>
public sealed record StorageCreateRequest
{
    public string? Name { get; init; }

    public string? App { get; init; }

    public bool Public { get; init; }

    /// <summary>s3://BUCKET of the upstream bucket to read through to.</summary>
    public string? ShadowBucket { get; init; }

    public string? ShadowEndpoint { get; init; }

    public string? ShadowAccessKey { get; init; }

    public string? ShadowSecretKey { get; init; }

    public string? ShadowRegion { get; init; }

    public bool ShadowWriteThrough { get; init; }
}
