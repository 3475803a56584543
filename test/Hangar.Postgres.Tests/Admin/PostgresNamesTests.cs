using System.Text.RegularExpressions;
using Hangar.Postgres.Admin;

namespace Hangar.Postgres.Tests.Admin;

public sealed partial class PostgresNamesTests
{
    [Theory]
    [InlineData("shop", true)]
    [InlineData("_x1", true)]
    [InlineData("my_app_2", true)]
    [InlineData("", false)]
    [InlineData("1app", false)]
    [InlineData("My", false)]
    [InlineData("a-b", false)]
    [InlineData("pg_x", false)]
    [InlineData("a\"b", false)]
    public void Names_are_plain_lowercase_identifiers(string name, bool valid) => Assert.Equal(valid, PostgresNames.IsValid(name));

    [Fact]
    public void Too_long_names_are_refused() => Assert.False(PostgresNames.IsValid(new string('a', 64)));

    [Fact]
    public void App_names_map_like_flyctl() => Assert.Equal("my_app", PostgresNames.FromAppName("my-app"));

    [Fact]
    public void Quoting_doubles_quotes() => Assert.Equal("\"a\"\"b\"", PostgresNames.Quote("a\"b"));

    [Fact]
    public void Scram_verifier_has_postgres_format_and_a_fresh_salt()
    {
        var a = ScramVerifier.Compute("secret");
        Assert.Matches(VerifierPattern(), a);
        Assert.NotEqual(a, ScramVerifier.Compute("secret"));
        Assert.NotNull(ScramVerifier.Problem("user", "with space"));
        Assert.NotNull(ScramVerifier.Problem("user", "naïve"));
        Assert.Null(ScramVerifier.Problem("user", "Abc123!'\""));
    }

    [GeneratedRegex(@"^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$")]
    private static partial Regex VerifierPattern();
}
