namespace Hangar.Client.Models;

/// <summary>What an app needs to reach a bucket, under the names Fly sets (BUCKET_NAME, AWS_*); returned once.</summary>
public sealed record StorageCredentials(string BucketName, string AccessKeyId, string SecretAccessKey, string EndpointUrl, string Region);
