namespace Hangar.Client.Models;

/// <summary>The answer to `storage create`: credentials only when no app took them as secrets.</summary>
public sealed record StorageCreated(BucketInfo Bucket, StorageCredentials? Credentials);
