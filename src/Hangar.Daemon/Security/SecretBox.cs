using System.Security.Cryptography;
using System.Text;

namespace Hangar.Daemon.Security;

/// <summary>
/// AES-256-GCM for secret values at rest. The app and secret name are the associated data, so a ciphertext
/// moved to another app or name fails to decrypt. Digests are HMAC-SHA256 under the same key: they tell
/// whether a value changed without allowing an offline guess of the value.
/// </summary>
internal sealed class SecretBox
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public SecretBox(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("the secrets key must be 32 bytes", nameof(key));
        }

        _key = key;
    }

    /// <summary>Loads the key file, creating it (mode 0600) on first start.</summary>
    public static SecretBox LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
            using var stream = new FileStream(path + ".tmp", options);
            stream.Write(RandomNumberGenerator.GetBytes(32));
            stream.Flush(flushToDisk: true);
            stream.Close();
            File.Move(path + ".tmp", path);
        }

        return new SecretBox(File.ReadAllBytes(path));
    }

    public string Encrypt(string app, string name, string value)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length), Associated(app, name));
        return Convert.ToBase64String(output);
    }

    public string Decrypt(string app, string name, string ciphertext)
    {
        var input = Convert.FromBase64String(ciphertext);
        var plain = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, plain.Length), input.AsSpan(NonceSize + plain.Length), plain, Associated(app, name));
        return Encoding.UTF8.GetString(plain);
    }

    public string Digest(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value)))[..16];

    private static byte[] Associated(string app, string name) => Encoding.UTF8.GetBytes(app + "\0" + name);
}
