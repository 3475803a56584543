using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Hangar.FunctionalTests.Tls;
using Npgsql;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>`mpg users` roles, `mpg extensions list`, PostGIS and pg_stat_statements as an app, and scale to zero.</summary>
public sealed partial class PostgresDevelopmentTests
{
    [Fact]
    public async Task Mpg_user_roles_hold_reader_reads_writer_writes_schema_admin_creates_tables()
    {
        const string name = DevelopmentCluster.Name;
        (await Hangar.RunAsync("apps", "create", "ledger")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", name, "--app", "ledger")).ShouldSucceed();
        var app = await Pg.DatabaseUrlAsync(Hangar, "ledger");
        await Pg.ExecAsync(app, "CREATE TABLE early (id serial PRIMARY KEY, v text); INSERT INTO early (v) VALUES ('a')");

        var created = (await Hangar.RunAsync("mpg", "users", "create", name, "-u", "rdr", "-r", "reader")).ShouldSucceed();
        Assert.Contains("Role:     reader", created.Stdout, StringComparison.Ordinal);
        var readerPassword = PasswordLine().Match(created.Stdout).Groups[1].Value;
        var reader = Pg.WithDatabase(ConnectionLine().Match(created.Stdout).Groups[1].Value, "ledger");
        var writer = await UserUrlAsync(name, "wtr", "writer", "ledger");
        var admin = await UserUrlAsync(name, "adm", "schema_admin", "ledger");

        // Made after the users: covered by the default privileges for the owner's tables.
        await Pg.ExecAsync(app, "CREATE TABLE later (id serial PRIMARY KEY, v text); INSERT INTO later (v) VALUES ('a')");
        foreach (var table in new[] { "early", "later" })
        {
            Assert.Equal(1L, await Pg.ScalarAsync(reader, $"SELECT count(*) FROM {table}"));
            await DeniedAsync(reader, $"INSERT INTO {table} (v) VALUES ('r')");
            await DeniedAsync(reader, $"DELETE FROM {table}");
            await Pg.ExecAsync(writer, $"INSERT INTO {table} (v) VALUES ('w'); UPDATE {table} SET v = 'w2' WHERE v = 'w'; DELETE FROM {table} WHERE v = 'w2'");
            await DeniedAsync(writer, $"ALTER TABLE {table} ADD COLUMN x int");
        }

        await DeniedAsync(writer, "CREATE TABLE w (id int)");
        await DeniedAsync(reader, "CREATE TABLE r (id int)");
        await DeniedAsync(reader, "CREATE EXTENSION postgis");

        // A schema_admin creates and alters tables; what it makes is open to the writer and the reader at once.
        await Pg.ExecAsync(admin, "CREATE TABLE made (id serial PRIMARY KEY, v text); ALTER TABLE made ADD COLUMN n int; CREATE INDEX ON made (n)");
        await Pg.ExecAsync(writer, "INSERT INTO made (v) VALUES ('x')");
        Assert.Equal(1L, await Pg.ScalarAsync(reader, "SELECT count(*) FROM made"));
        await DeniedAsync(reader, "INSERT INTO made (v) VALUES ('r')");

        var users = (await Hangar.JsonAsync("mpg", "users", "list", name)).EnumerateArray()
            .ToDictionary(u => u.GetProperty("name").GetString()!, u => u.TryGetProperty("role", out var role) ? role.GetString() : null);
        Assert.Equal("reader", users["rdr"]);
        Assert.Equal("writer", users["wtr"]);
        Assert.Equal("schema_admin", users["adm"]);
        Assert.Equal("owner", users["ledger"]);
        Assert.DoesNotContain(readerPassword, (await Hangar.RunAsync("mpg", "users", "list", name, "--json")).Stdout, StringComparison.Ordinal);

        // set-role moves the grants with it, both ways.
        (await Hangar.RunAsync("mpg", "users", "set-role", name, "-u", "rdr", "-r", "writer")).ShouldSucceed();
        await Pg.ExecAsync(reader, "INSERT INTO early (v) VALUES ('promoted')");
        (await Hangar.RunAsync("mpg", "users", "set-role", name, "--username", "adm", "--role", "reader")).ShouldSucceed();
        await DeniedAsync(admin, "CREATE TABLE made2 (id int)");
        await DeniedAsync(admin, "INSERT INTO made (v) VALUES ('demoted')");
        Assert.Equal(1L, await Pg.ScalarAsync(admin, "SELECT count(*) FROM made"));

        // Bad input: one line naming the value and what is allowed, nothing made or changed.
        (await Hangar.RunAsync("mpg", "users", "create", name, "-u", "x1", "-r", "owner")).ShouldFailWith("invalid role 'owner': schema_admin, writer or reader");
        (await Hangar.RunAsync("mpg", "users", "set-role", name, "-u", "ghost", "-r", "reader")).ShouldFailWith("database user 'ghost' not found");
        (await Hangar.RunAsync("mpg", "users", "set-role", name, "-u", "wtr", "-r", "boss")).ShouldFailWith("invalid role 'boss': schema_admin, writer or reader");
        (await Hangar.RunAsync("mpg", "users", "set-role", name, "-u", "ledger", "-r", "reader")).ShouldFailWith("was not made by `mpg users create`");
        (await Hangar.RunAsync("mpg", "users", "create", name, "-u", "wtr", "-r", "reader")).ShouldFailWith("database user 'wtr' already exists");
        users = (await Hangar.JsonAsync("mpg", "users", "list", name)).EnumerateArray()
            .ToDictionary(u => u.GetProperty("name").GetString()!, u => u.TryGetProperty("role", out var role) ? role.GetString() : null);
        Assert.False(users.ContainsKey("x1"));
        Assert.Equal("writer", users["wtr"]);
        Assert.Equal("owner", users["ledger"]);

        (await Hangar.RunAsync("mpg", "users", "delete", name, "-u", "wtr", "--yes")).ShouldSucceed();
        await Assert.ThrowsAsync<PostgresException>(() => Pg.ExecAsync(writer, "SELECT 1"));
        Assert.DoesNotContain("\"wtr\"", (await Hangar.RunAsync("mpg", "users", "list", name, "--json")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_app_creates_postgis_itself_runs_a_spatial_query_and_reads_its_statement_statistics()
    {
        (await Hangar.RunAsync("apps", "create", "maps")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "maps")).ShouldSucceed();
        var app = await Pg.DatabaseUrlAsync(Hangar, "maps");

        // Not superuser, and PostGIS is not a trusted extension: pgextwlist lets this database's owner create it.
        Assert.Equal(false, await Pg.ScalarAsync(app, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        await Pg.ExecAsync(app, "CREATE EXTENSION postgis");
        await Pg.ExecAsync(app, "CREATE TABLE places (name text PRIMARY KEY, at geography(Point, 4326)); " +
            "INSERT INTO places VALUES ('paris', 'POINT(2.3522 48.8566)'), ('london', 'POINT(-0.1276 51.5072)'), ('berlin', 'POINT(13.405 52.52)')");
        Assert.Equal("london", await Pg.ScalarAsync(app, "SELECT name FROM places WHERE name <> 'paris' ORDER BY ST_Distance(at, (SELECT at FROM places WHERE name = 'paris')) LIMIT 1"));
        var kilometres = Convert.ToInt32(await Pg.ScalarAsync(app, "SELECT round(ST_Distance(a.at, b.at) / 1000) FROM places a, places b WHERE a.name = 'paris' AND b.name = 'london'"));
        Assert.InRange(kilometres, 340, 346);

        // The whitelist is the superuser's to set, not the app's.
        var widened = await Assert.ThrowsAsync<PostgresException>(() => Pg.ExecAsync(app, "SET extwlist.extensions = 'adminpack'"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, widened.SqlState);
        await DeniedAsync(app, "CREATE EXTENSION adminpack");

        // pg_stat_statements (preloaded on every node) answers the app instead of "permission denied".
        Assert.True((long)(await Pg.ScalarAsync(app, "SELECT count(*) FROM pg_stat_statements WHERE query LIKE '%FROM places a, places b%'"))! >= 1);

        var extensions = (await Hangar.JsonAsync("mpg", "extensions", "list", DevelopmentCluster.Name)).EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.StartsWith("3.", extensions["postgis"].GetProperty("defaultVersion").GetString(), StringComparison.Ordinal);
        var installed = extensions["postgis"].GetProperty("installed").EnumerateArray().Select(i => (i.GetProperty("database").GetString(), i.GetProperty("version").GetString())).ToList();
        Assert.Contains(("maps", extensions["postgis"].GetProperty("defaultVersion").GetString()), installed);
        Assert.Contains(extensions["pg_stat_statements"].GetProperty("installed").EnumerateArray(), i => i.GetProperty("database").GetString() == "maps");
        Assert.Empty(extensions["postgis_topology"].GetProperty("installed").EnumerateArray());
        Assert.Contains("postgis", (await Hangar.RunAsync("mpg", "extensions", "list", DevelopmentCluster.Name)).ShouldSucceed().Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Autostop_suspends_an_idle_cluster_and_a_psql_and_an_npgsql_connection_wake_it()
    {
        const string name = "idle";
        (await Hangar.RunAsync("postgres", "create", "--name", name, "--autostop=5s", "--initial-cluster-size", "3")).ShouldFailWith("invalid --autostop with 3 nodes");
        (await Hangar.RunAsync("postgres", "create", "--name", name, "--autostop=soon")).ShouldFailWith("invalid --autostop 'soon': a duration of whole seconds from 1s to 720h");
        Assert.DoesNotContain($"\"{name}\"", (await Hangar.RunAsync("postgres", "list", "--json")).Stdout, StringComparison.Ordinal);

        var created = (await Hangar.RunAsync("postgres", "create", "--name", name, "--autostop=5s", "--enable-postgis-support")).ShouldSucceed();
        var url = ConnectionLine().Match(created.Stdout).Groups[1].Value;
        try
        {
            // --enable-postgis-support: the app's database comes with PostGIS (the attach wakes the cluster if it slept).
            (await Hangar.RunAsync("apps", "create", "atlas")).ShouldSucceed();
            (await Hangar.RunAsync("postgres", "attach", name, "--app", "atlas")).ShouldSucceed();
            var app = await Pg.DatabaseUrlAsync(Hangar, "atlas");
            Assert.Equal("POINT(1 2)", await Pg.ScalarAsync(app, "SELECT ST_AsText(ST_MakePoint(1, 2))"));

            await UntilSuspendedAsync(name);
            Assert.Equal("not supervised", (await Hangar.JsonAsync("postgres", "status", "-a", name)).GetProperty("nodes")[0].GetProperty("processState").GetString());
            // The proxy keeps an unreachable leader for its grace (3 s) before it drops it; then it routes nowhere.
            await Poll.UntilAsync(
                async () => !(await Hangar.JsonAsync("postgres", "status", "-a", name)).TryGetProperty("proxyLeader", out var routed) || routed.ValueKind == JsonValueKind.Null,
                TimeSpan.FromSeconds(15),
                "the proxy routes to no node while suspended");

            // psql: a slow connect, no refusal.
            var psql = (await ToolRun.RunAsync("psql", [url, "-XAtc", "SELECT 1"])).ShouldSucceed();
            Assert.Equal("1", psql.Stdout.Trim());

            await UntilSuspendedAsync(name);
            await using (var connection = new NpgsqlConnection(Pg.Npgsql(Pg.WithDatabase(app, "atlas"), timeoutSeconds: 60)))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("CREATE TABLE woke (at timestamptz); INSERT INTO woke VALUES (now()); SELECT count(*) FROM woke", connection);
                Assert.Equal(1L, await command.ExecuteScalarAsync());
            }

            Assert.Equal("running", (await Hangar.JsonAsync("postgres", "status", "-a", name)).GetProperty("cluster").GetProperty("state").GetString());
        }
        finally
        {
            await Hangar.RunAsync("postgres", "destroy", name, "--yes", "--force");
        }
    }

    private async Task UntilSuspendedAsync(string name) =>
        await Poll.UntilAsync(
            async () => (await Hangar.JsonAsync("postgres", "status", "-a", name)).GetProperty("cluster").GetProperty("state").GetString() == "suspended",
            TimeSpan.FromSeconds(60),
            $"cluster {name} suspended");

    private async Task<string> UserUrlAsync(string cluster, string user, string role, string database)
    {
        var created = (await Hangar.RunAsync("mpg", "users", "create", cluster, "-u", user, "-r", role)).ShouldSucceed();
        return Pg.WithDatabase(ConnectionLine().Match(created.Stdout).Groups[1].Value, database);
    }

    private static async Task DeniedAsync(string url, string sql)
    {
        var denied = await Assert.ThrowsAsync<PostgresException>(() => Pg.ExecAsync(url, sql));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }
}
