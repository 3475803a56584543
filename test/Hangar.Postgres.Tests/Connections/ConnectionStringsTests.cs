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
}
