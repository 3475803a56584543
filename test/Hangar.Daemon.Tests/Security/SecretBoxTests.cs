using System.Security.Cryptography;
using Hangar.Daemon.Security;
using Xunit;

namespace Hangar.Daemon.Tests.Security;

public sealed class SecretBoxTests
{
    private readonly SecretBox _box = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Round_trips_and_never_repeats_a_ciphertext()
    {
        var first = _box.Encrypt("app", "KEY", "välue with ünicode");
        var second = _box.Encrypt("app", "KEY", "välue with ünicode");
        Assert.NotEqual(first, second);
        Assert.Equal("välue with ünicode", _box.Decrypt("app", "KEY", first));
        Assert.DoesNotContain("value", first, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ciphertext_moved_to_another_app_or_name_does_not_decrypt()
    {
        var sealedValue = _box.Encrypt("app", "KEY", "v");
        Assert.ThrowsAny<CryptographicException>(() => _box.Decrypt("other", "KEY", sealedValue));
        Assert.ThrowsAny<CryptographicException>(() => _box.Decrypt("app", "OTHER", sealedValue));
    }

    [Fact]
    public void Digest_is_stable_keyed_and_not_the_plain_hash()
    {
        Assert.Equal(_box.Digest("v"), _box.Digest("v"));
        Assert.NotEqual(_box.Digest("v"), _box.Digest("w"));
        Assert.NotEqual(_box.Digest("v"), new SecretBox(RandomNumberGenerator.GetBytes(32)).Digest("v"));
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData("v"u8))[..16], _box.Digest("v"));
    }

    [Fact]
    public void The_key_file_is_created_private_and_reused()
    {
        var dir = Directory.CreateTempSubdirectory("hangar-key-").FullName;
        try
        {
            var path = Path.Combine(dir, "secrets.key");
            var sealedValue = SecretBox.LoadOrCreate(path).Encrypt("a", "B", "c");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal("c", SecretBox.LoadOrCreate(path).Decrypt("a", "B", sealedValue));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Tokens_compare_by_value()
    {
        var token = ApiToken.New();
        Assert.True(token.Matches(token.Value));
        Assert.False(token.Matches(token.Value + "x"));
        Assert.False(token.Matches(string.Empty));
        Assert.False(token.Matches(null));
    }
}
