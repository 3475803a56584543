using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Hangar.Core.Tls;
using Hangar.ObjectStore.Buckets;
using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Encryption;

/// <summary>
/// SSE-S3 keys. The platform key (32 random bytes, DATA_DIR/keys/platform.key, mode 0600, written atomically like
/// the server's TLS key) never leaves this process; each bucket's data key is random, stored in its catalog row only
/// wrapped (AES-GCM under the platform key, bound to the bucket id), and unwrapped on first use. Losing the platform
/// key loses every encrypted object: it belongs in backups of the data dir, which are the S3 server's to make.
/// </summary>
internal sealed class KeyRing
{
    private readonly byte[] _platformKey;
    private readonly Catalog _catalog;
    private readonly ConcurrentDictionary<string, byte[]> _dataKeys = new(StringComparer.Ordinal);

    public KeyRing(string dataDir, Catalog catalog)
    {
        _catalog = catalog;
        var dir = Path.Combine(dataDir, "keys");
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, Core.Unix.FileModes.OwnerDirectory);
        var path = Path.Combine(dir, "platform.key");
        if (!File.Exists(path))
        {
            CertificateAuthority.WriteFile(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n", secret: true);
        }
        _platformKey = Convert.FromBase64String(File.ReadAllText(path).Trim());
        if (_platformKey.Length != 32)
        {
            throw new InvalidOperationException($"{path} does not hold a 256-bit key.");
        }
    }

    /// <summary>The bucket's data key, made (and its wrapped form committed to the catalog) on first use.</summary>
    public byte[] DataKeyFor(BucketRecord bucket)
    {
        if (_dataKeys.TryGetValue(bucket.Id, out var key))
        {
            return key;
        }
        var wrapped = bucket.WrappedDataKey;
        if (wrapped is null)
        {
            var fresh = Wrap(RandomNumberGenerator.GetBytes(32), bucket.Id);
            // Two first writers race: the catalog keeps whichever wrapped key was committed first.
            _catalog.UpdateBucket(bucket.Name, b => b.Id == bucket.Id && b.WrappedDataKey is null ? b with { WrappedDataKey = fresh } : b);
            wrapped = _catalog.Snapshot.Buckets.GetValueOrDefault(bucket.Name) is { } now && now.Id == bucket.Id
                ? now.WrappedDataKey ?? fresh
                : fresh;
        }
        key = Unwrap(wrapped, bucket.Id);
        return _dataKeys.GetOrAdd(bucket.Id, key);
    }

    private string Wrap(byte[] dataKey, string bucketId)
    {
        var blob = new byte[12 + 32 + 16];
        RandomNumberGenerator.Fill(blob.AsSpan(0, 12));
        using var aes = new AesGcm(_platformKey, 16);
        aes.Encrypt(blob.AsSpan(0, 12), dataKey, blob.AsSpan(12, 32), blob.AsSpan(44, 16), Encoding.UTF8.GetBytes(bucketId));
        return Convert.ToBase64String(blob);
    }

    private byte[] Unwrap(string wrapped, string bucketId)
    {
        var blob = Convert.FromBase64String(wrapped);
        var dataKey = new byte[32];
        using var aes = new AesGcm(_platformKey, 16);
        aes.Decrypt(blob.AsSpan(0, 12), blob.AsSpan(12, 32), blob.AsSpan(44, 16), dataKey, Encoding.UTF8.GetBytes(bucketId));
        return dataKey;
    }
}
