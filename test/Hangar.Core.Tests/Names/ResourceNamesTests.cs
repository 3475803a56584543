using Hangar.Core.Ids;
using Hangar.Core.Names;
using Xunit;

namespace Hangar.Core.Tests.Names;

public sealed class ResourceNamesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("my-app")]
    [InlineData("db1")]
    public void Valid_names(string name) => Assert.True(ResourceNames.IsValid(name));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("1abc")]
    [InlineData("-abc")]
    [InlineData("ABC")]
    [InlineData("a_b")]
    [InlineData("a.b")]
    [InlineData("a/b")]
    [InlineData("é")]
    [InlineData("ends-with-bang!")]
    public void Invalid_names(string? name) => Assert.False(ResourceNames.IsValid(name));

    [Fact]
    public void Sixty_three_characters_is_the_limit()
    {
        Assert.True(ResourceNames.IsValid(new string('a', 63)));
        Assert.False(ResourceNames.IsValid(new string('a', 64)));
    }

    [Fact]
    public void Problem_names_the_value_and_the_rule() =>
        Assert.Equal("invalid cluster name 'X': lowercase letters, digits and '-', 1-63 characters, starting with a letter", ResourceNames.Problem("cluster", "X"));

    [Fact]
    public void Problem_keeps_to_one_line_whatever_the_name() =>
        Assert.StartsWith("invalid cluster name 'db\\n\\r\\u0007': ", ResourceNames.Problem("cluster", "db\n\r\u0007"), StringComparison.Ordinal);

    [Fact]
    public void Ids_have_their_prefix_and_validate()
    {
        var id = ResourceIds.New(ResourceIds.VolumePrefix);
        Assert.Matches("^vol_[0-9a-z]{16}$", id);
        Assert.True(ResourceIds.IsValid(id, ResourceIds.VolumePrefix));
        Assert.False(ResourceIds.IsValid(id, ResourceIds.SnapshotPrefix));
        Assert.False(ResourceIds.IsValid("vol_../x", ResourceIds.VolumePrefix));
        Assert.False(ResourceIds.IsValid("vol_", ResourceIds.VolumePrefix));
        Assert.NotEqual(id, ResourceIds.New(ResourceIds.VolumePrefix));
    }

    [Fact]
    public void Passwords_are_url_safe_and_random()
    {
        var password = Passwords.New();
        Assert.Matches("^[A-Za-z0-9]{24}$", password);
        Assert.NotEqual(password, Passwords.New());
    }
}
