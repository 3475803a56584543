using Hangar.Core.Resources;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Security;

namespace Hangar.Daemon.Storage;

/// <summary>Sealing and opening the storage secrets (key secrets, shadow credentials), and the secrets an app gets; shared by the service and the reconcilers.</summary>
internal sealed class StorageSecrets(EmbeddedS3 s3, SecretBox box)
{
    public string EncryptKeySecret(string id, string secret) => box.Encrypt(StorageKeyRecord.SecretOwner(id), "secret", secret);

    public string KeySecret(StorageKeyRecord key) => box.Decrypt(StorageKeyRecord.SecretOwner(key.Id), "secret", key.SecretCiphertext);

    public string EncryptShadowSecret(string bucket, string secret) => box.Encrypt(BucketKeys.Owner(bucket), "shadow-secret", secret);

    public string ShadowSecret(string bucket, BucketShadow shadow) => box.Decrypt(BucketKeys.Owner(bucket), "shadow-secret", shadow.SecretKeyCiphertext);

    /// <summary>
    /// The secrets `storage create -a APP` sets, under Fly's names, and AWS_CA_BUNDLE (read by the AWS CLI, boto3 and
    /// the Go SDK) when the S3 server's HTTPS certificate comes from the platform CA, so an app that switches to the
    /// HTTPS endpoint verifies it. The endpoint stays plain HTTP: SDKs that ignore AWS_CA_BUNDLE keep working.
    /// </summary>
    public Dictionary<string, string> AppSecrets(string bucket, StorageKeyRecord key)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BUCKET_NAME"] = bucket,
            ["AWS_ACCESS_KEY_ID"] = key.Id,
            ["AWS_SECRET_ACCESS_KEY"] = KeySecret(key),
            ["AWS_ENDPOINT_URL_S3"] = s3.EndpointUrl,
            ["AWS_REGION"] = s3.Region,
        };
        if (s3.CaBundle is { } bucketCa)
        {
            secrets["AWS_CA_BUNDLE"] = bucketCa;
        }

        return secrets;
    }
}
