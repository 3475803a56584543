namespace Hangar.ObjectStore.Auth;

/// <summary>An access key. No buckets listed means an owner key: it creates and sees only its own buckets.</summary>
internal sealed record AccessKeyRecord(string AccessKeyId, string SecretKey, string[] Buckets, bool ReadOnly)
{
    public bool IsOwnerKey => Buckets.Length == 0;
}
