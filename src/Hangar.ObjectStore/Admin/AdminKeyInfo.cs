namespace Hangar.ObjectStore.Admin;

public sealed record AdminKeyInfo(string AccessKeyId, string[] Buckets, bool ReadOnly);
