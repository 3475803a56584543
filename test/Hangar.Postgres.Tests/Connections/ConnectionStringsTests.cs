using Hangar.Postgres.Connections;
using Npgsql;

namespace Hangar.Postgres.Tests.Connections;

public sealed class ConnectionStringsTests
{
    [Fact]
    public void Url_percent_encodes_every_part()
    {
        var url = ConnectionStrings.Url("app user", "p@ss:w/rd?#%", "127.0.0.1", 5432, "my db", "disable");
        Assert.Equal("postgres://app%20user:p%40ss%3Aw%2Frd%3F%23%25@127.0.0.1:5432/my%20db?sslmode=disable", url);
    }

    [Fact]
    public void Url_brackets_ipv6_hosts() =>
        Assert.Equal("postgres://u:p@[::1]:5433/db", ConnectionStrings.Url("u", "p", "::1", 5433, "db"));

    [Fact]
    public void Url_round_trips_through_the_npgsql_form()
    {
        var url = ConnectionStrings.Url("shop", "a;b='c'", "::1", 6000, "shop", "require");
        var builder = new NpgsqlConnectionStringBuilder(ConnectionStrings.NpgsqlFromUrl(url));
        Assert.Equal("shop", builder.Username);
        Assert.Equal("a;b='c'", builder.Password);
        Assert.Equal("::1", builder.Host);
        Assert.Equal(6000, builder.Port);
        Assert.Equal("shop", builder.Database);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Throws<FormatException>(() => ConnectionStrings.NpgsqlFromUrl("mysql://x@y/z"));
    }

    [Fact]
    public void Npgsql_form_escapes_the_password()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionStrings.Npgsql("u", "x;Host=evil", "127.0.0.1", 5432, "db"));
        Assert.Equal("127.0.0.1", builder.Host);
        Assert.Equal("x;Host=evil", builder.Password);
    }

    [Theory]
    [InlineData("postgres://web:s3cr%40t@127.0.0.1:15001/web", "postgres://web:********@127.0.0.1:15001/web")]
    [InlineData("postgres://web:p@ss@[::1]:5432/web?sslmode=require", "postgres://web:********@[::1]:5432/web?sslmode=require")]
    [InlineData("postgresql://web:x@db.example:5432", "postgresql://web:********@db.example:5432")]
    [InlineData("postgres://web@127.0.0.1/web", "postgres://web@127.0.0.1/web")]
    [InlineData("postgres://127.0.0.1:5432/web?user=a@b", "postgres://127.0.0.1:5432/web?user=a@b")]
    [InlineData("not a url", "not a url")]
    public void Redact_masks_the_password_and_nothing_else(string url, string expected) =>
        Assert.Equal(expected, ConnectionStrings.Redact(url));

    [Fact]
    public void Redact_hides_every_password_Url_can_write()
    {
        var url = ConnectionStrings.Url("web", "p@ss:w/rd?#%", "127.0.0.1", 5432, "web");
        Assert.Equal("postgres://web:********@127.0.0.1:5432/web", ConnectionStrings.Redact(url));
    }
}
