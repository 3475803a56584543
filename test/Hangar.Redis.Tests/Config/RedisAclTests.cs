using Hangar.Redis.Config;

namespace Hangar.Redis.Tests.Config;

public sealed class RedisAclTests
{
    [Fact]
    public void Default_user_is_off_and_passwords_are_only_hashed()
    {
        var acl = RedisAcl.Render("app", "app-secret", "admin-secret");

        Assert.StartsWith("user default off", acl, StringComparison.Ordinal);
        Assert.DoesNotContain("app-secret", acl, StringComparison.Ordinal);
        Assert.DoesNotContain("admin-secret", acl, StringComparison.Ordinal);
        Assert.Contains("user app on #" + RedisAcl.Hash("app-secret") + " " + RedisAcl.AppRules, acl, StringComparison.Ordinal);
        Assert.Contains("user hangar-admin on #" + RedisAcl.Hash("admin-secret") + " ~* &* +@all", acl, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_is_lowercase_sha256_hex() =>
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", RedisAcl.Hash("hello"));
}
