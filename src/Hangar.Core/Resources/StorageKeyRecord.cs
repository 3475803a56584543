namespace Hangar.Core.Resources;

/// <summary>
/// An S3 access key pair. Key: /hangar/storage-keys/ID. The secret is stored encrypted (SecretBox, associated data
/// "storage-key:ID"), never in clear. No buckets means an owner key, which may create buckets of its own through the S3 API.
/// </summary>
public sealed record StorageKeyRecord
{
    public required string Id { get; init; }

    public required string SecretCiphertext { get; init; }

    public required IReadOnlyList<string> Buckets { get; init; }

    public required bool ReadOnly { get; init; }

    /// <summary>The bucket whose `storage create` made this key; it goes with that bucket.</summary>
    public string? CreatedWith { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public StorageKeyPhase Phase { get; init; } = StorageKeyPhase.Pending;

    public static string SecretOwner(string id) => "storage-key:" + id;
}
