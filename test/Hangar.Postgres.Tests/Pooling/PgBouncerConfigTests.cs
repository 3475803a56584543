using Hangar.Postgres.Pooling;
using Xunit;

namespace Hangar.Postgres.Tests.Pooling;

public sealed class PgBouncerConfigTests
{
    private static readonly PgBouncerSettings Settings = new()
    {
        ListenAddress = "127.0.0.1",
        ListenPort = 15010,
        ServerHost = "127.0.0.1",
        ServerPort = 15000,
        Directory = "/data/mpg/db",
        AuthUser = "hangar_admin",
        AdminUser = "hangar_pool_admin",
        PoolMode = PgBouncerConfig.Transaction,
        PoolSize = 20,
        MaxDatabaseConnections = 90,
        MaxClientConnections = 2000,
    };

    [Fact]
    public void Server_connections_go_to_the_cluster_port_and_logins_use_scram_through_auth_query()
    {
        var ini = PgBouncerConfig.Render(Settings);
        Assert.Contains("* = host=127.0.0.1 port=15000\n", ini, StringComparison.Ordinal);
        Assert.Contains("listen_port = 15010\n", ini, StringComparison.Ordinal);
        Assert.Contains("auth_type = scram-sha-256\n", ini, StringComparison.Ordinal);
        Assert.Contains("auth_user = hangar_admin\n", ini, StringComparison.Ordinal);
        Assert.Contains("auth_file = /data/mpg/db/userlist.txt\n", ini, StringComparison.Ordinal);
        Assert.Contains("pool_mode = transaction\n", ini, StringComparison.Ordinal);
        Assert.Contains("max_db_connections = 90\n", ini, StringComparison.Ordinal);
        Assert.Contains("server_login_retry = 1\n", ini, StringComparison.Ordinal);
    }

    [Fact]
    public void The_auth_file_doubles_quotes_and_refuses_line_breaks()
    {
        Assert.Equal("\"a\" \"p\"\"w\"\n\"b\" \"x\"\n", PgBouncerConfig.RenderAuthFile([("a", "p\"w"), ("b", "x")]));
        Assert.Throws<ArgumentException>(() => PgBouncerConfig.RenderAuthFile([("a", "p\nw")]));
    }
}
