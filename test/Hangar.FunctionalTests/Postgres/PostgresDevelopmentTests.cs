using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Hangar.Client;
using Hangar.Client.Models;
using Hangar.Core.Resources;
using Hangar.FunctionalTests.Infrastructure;
using Hangar.State.Etcd;
using Npgsql;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed partial class PostgresDevelopmentTests(DevelopmentCluster cluster) : IClassFixture<DevelopmentCluster>
{
    private HangarDaemon Hangar => cluster.Hangar;

    [Fact]
    public async Task Create_prints_the_credentials_once_and_they_work_through_the_cluster_port_with_tls()
    {
        var output = cluster.Created.Stdout;
        foreach (var field in new[] { "Username:", "Password:", "Hostname:", "Proxy port:", "PG port:", "Save your credentials in a secure place" })
        {
            Assert.Contains(field, output, StringComparison.Ordinal);
        }

        var password = PasswordLine().Match(output).Groups[1].Value;
        var url = ConnectionLine().Match(output).Groups[1].Value;
        Assert.NotEmpty(password);
        Assert.Equal(1, await Pg.ScalarAsync(url, "SELECT 1"));

        // sslmode=require through the proxy: the per-cluster certificate is served by whichever node leads.
        await using (var tls = new NpgsqlConnection(Pg.Npgsql(url) + ";SSL Mode=Require"))
        {
            await tls.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", tls);
            Assert.Equal(true, await command.ExecuteScalarAsync());
        }

        // The password is in no list, status or check output.
        foreach (var args in new[] { new[] { "postgres", "list" }, ["postgres", "status", "-a", DevelopmentCluster.Name], ["checks", "list", "-a", DevelopmentCluster.Name], ["postgres", "list", "--json"], ["status", "-a", DevelopmentCluster.Name, "--json"] })
        {
            var result = (await Hangar.RunAsync(args)).ShouldSucceed();
            Assert.DoesNotContain(password, result.Stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(password, await File.ReadAllTextAsync(Path.Combine(Hangar.DataDir, "logs", "hangar.log")), StringComparison.Ordinal);
        var node = cluster.Status.GetProperty("nodes")[0];
        Assert.Equal("leader", node.GetProperty("role").GetString());
        Assert.Equal("dev-1", cluster.Status.GetProperty("proxyLeader").GetString());
    }

    [Fact]
    public async Task Attach_gives_each_app_its_own_database_that_psql_and_npgsql_reach_and_other_apps_cannot()
    {
        (await Hangar.RunAsync("apps", "create", "shop")).ShouldSucceed();
        (await Hangar.RunAsync("apps", "create", "blog")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "shop")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "blog", "--database-name", "blogdb", "--database-user", "blogger")).ShouldSucceed();

        // psql inside `hangar run`, with the app's DATABASE_URL.
        var psql = (await Hangar.RunAsync("run", "-a", "shop", "--", "sh", "-c",
            "psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -Atc \"CREATE TABLE orders(id int primary key, item text)\" -c \"INSERT INTO orders VALUES (1, 'tea')\" -c \"SELECT item FROM orders\"")).ShouldSucceed();
        Assert.Contains("tea", psql.Stdout, StringComparison.Ordinal);

        // Npgsql from the test with the value the app holds.
        var shop = await Pg.DatabaseUrlAsync(Hangar, "shop");
        var blog = await Pg.DatabaseUrlAsync(Hangar, "blog");
        Assert.Matches("^postgres://shop:[^@]+@127\\.0\\.0\\.1:[0-9]+/shop$", shop);
        Assert.Matches("^postgres://blogger:[^@]+@127\\.0\\.0\\.1:[0-9]+/blogdb$", blog);
        await Pg.ExecAsync(shop, "INSERT INTO orders VALUES (2, 'cake')");
        Assert.Equal(2L, await Pg.ScalarAsync(shop, "SELECT count(*) FROM orders"));
        Assert.Equal(false, await Pg.ScalarAsync(shop, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));

        // One app's role cannot reach another app's database, nor the postgres database.
        var crossed = blog[..blog.LastIndexOf('/')] + "/shop";
        var denied = await Assert.ThrowsAsync<PostgresException>(() => Pg.ScalarAsync(crossed, "SELECT 1"));
        Assert.Equal("42501", denied.SqlState);
        await Assert.ThrowsAsync<PostgresException>(() => Pg.ScalarAsync(blog[..blog.LastIndexOf('/')] + "/postgres", "SELECT 1"));

        // Twice, or onto an existing secret: refused with one line, nothing made.
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "shop")).ShouldFailWith("already exists");
        (await Hangar.RunAsync("apps", "create", "clash")).ShouldSucceed();
        (await Hangar.RunAsync("secrets", "set", "-a", "clash", "DATABASE_URL=mine")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "clash")).ShouldFailWith("already has a secret named DATABASE_URL");
        var users = await Hangar.JsonAsync("postgres", "users", "list", "-a", DevelopmentCluster.Name);
        Assert.DoesNotContain(users.EnumerateArray(), u => u.GetProperty("name").GetString() == "clash");

        // Destroy while attached is refused; the cluster keeps running.
        (await Hangar.RunAsync("postgres", "destroy", DevelopmentCluster.Name, "--yes")).ShouldFailWith("attached to");
        Assert.Equal(2L, await Pg.ScalarAsync(shop, "SELECT count(*) FROM orders"));

        // Detach: role and secret gone, database kept.
        (await Hangar.RunAsync("postgres", "detach", DevelopmentCluster.Name, "--app", "shop")).ShouldSucceed();
        Assert.NotEqual(0, (await Hangar.RunAsync("run", "-a", "shop", "--", "printenv", "DATABASE_URL")).ExitCode);
        users = await Hangar.JsonAsync("postgres", "users", "list", "-a", DevelopmentCluster.Name);
        Assert.DoesNotContain(users.EnumerateArray(), u => u.GetProperty("name").GetString() == "shop");
        var databases = await Hangar.JsonAsync("postgres", "db", "list", "-a", DevelopmentCluster.Name);
        Assert.Contains(databases.EnumerateArray(), d => d.GetProperty("name").GetString() == "shop");
        await Assert.ThrowsAsync<PostgresException>(() => Pg.ScalarAsync(shop, "SELECT 1"));
        (await Hangar.RunAsync("postgres", "detach", DevelopmentCluster.Name, "--app", "blog")).ShouldSucceed();

        (await Hangar.RunAsync("postgres", "db", "create", "-a", DevelopmentCluster.Name, "reports")).ShouldSucceed();
        databases = await Hangar.JsonAsync("postgres", "db", "list", "-a", DevelopmentCluster.Name);
        Assert.Contains(databases.EnumerateArray(), d => d.GetProperty("name").GetString() == "reports");
    }

    [Fact]
    public async Task Checks_status_and_logs_name_every_node_and_the_proxy()
    {
        var checks = await Hangar.JsonAsync("checks", "list", "-a", DevelopmentCluster.Name);
        var names = checks.EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Equal(["vm", "pg", "role"], names);
        var pg = checks.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "pg");
        Assert.Equal("passing", pg.GetProperty("status").GetString());
        Assert.Equal("pg-dev-1", pg.GetProperty("resource").GetString());

        var status = (await Hangar.RunAsync("status", "-a", DevelopmentCluster.Name)).ShouldSucceed().Stdout;
        Assert.Contains("dev-1", status, StringComparison.Ordinal);
        Assert.Contains("leader", status, StringComparison.Ordinal);

        // `postgres connect` runs psql through the cluster port as postgres; here it reads its commands from stdin.
        var psql = (await Hangar.RunWithInputAsync("SELECT 'via ' || current_user;\n", "postgres", "connect", "-a", DevelopmentCluster.Name)).ShouldSucceed();
        Assert.Contains("via postgres", psql.Stdout, StringComparison.Ordinal);
        var daemon = await Hangar.JsonAsync("status");
        Assert.Equal(1, daemon.GetProperty("resources").GetProperty("postgres").GetInt32());

        var logs = (await Hangar.RunAsync("logs", "-a", DevelopmentCluster.Name, "-n", "1000")).ShouldSucceed().Stdout;
        Assert.Contains("pg-dev-1", logs, StringComparison.Ordinal);
        Assert.Contains("proxy-dev", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_gets_one_line_a_non_zero_exit_and_leaves_nothing_behind()
    {
        var before = (await Hangar.JsonAsync("volumes", "list")).GetArrayLength();
        var bad = (await Hangar.RunAsync("postgres", "create", "--name", "Bad_Name", "--initial-cluster-size", "9", "--volume-size", "0", "--password", "x")).Fails();
        foreach (var fragment in new[] { "invalid cluster name 'Bad_Name'", "invalid --initial-cluster-size 9: must be 1-5", "invalid --volume-size 0", "--password" })
        {
            Assert.Contains(fragment, bad, StringComparison.Ordinal);
        }

        (await Hangar.RunAsync("postgres", "create", "--name", "snap", "--snapshot-id", "nope")).ShouldFailWith("invalid --snapshot-id 'nope'");
        (await Hangar.RunAsync("postgres", "create", "--name", "snap", "--snapshot-id", "vs_00000000")).ShouldFailWith("not found");
        (await Hangar.RunAsync("postgres", "create", "--name", "forked", "--fork-from", "ghost")).ShouldFailWith("'ghost' does not exist");
        (await Hangar.RunAsync("postgres", "create", "--name", DevelopmentCluster.Name)).ShouldFailWith("already exists");
        (await Hangar.RunAsync("postgres", "status", "-a", "ghost")).ShouldFailWith("postgres cluster 'ghost' not found");
        (await Hangar.RunAsync("postgres", "attach", "ghost", "--app", "x")).ShouldFailWith("not found");
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "nosuchapp")).ShouldFailWith("app 'nosuchapp' not found");
        (await Hangar.RunAsync("postgres", "detach", DevelopmentCluster.Name, "--app", "nosuchapp")).ShouldFailWith("not found");
        (await Hangar.RunAsync("postgres", "config", "update", "-a", DevelopmentCluster.Name, "--max-connections", "3", "--log-statement", "loud"))
            .ShouldFailWith("invalid --max-connections '3' (out of range): max_connections is a whole number from 10 to 10000; invalid --log-statement 'loud' (not one of the values): log_statement is one of none, ddl, mod, all");
        (await Hangar.RunAsync("postgres", "config", "update", "-a", DevelopmentCluster.Name)).ShouldFailWith("nothing to update");
        (await Hangar.RunAsync("scale", "count", "0", "-a", DevelopmentCluster.Name)).ShouldFailWith("must be 1-5");
        (await Hangar.RunAsync("postgres", "failover", "-a", DevelopmentCluster.Name)).ShouldFailWith("no running replica");
        (await Hangar.RunAsync("postgres", "destroy", "ghost", "--yes")).ShouldFailWith("not found");

        var clusters = await Hangar.JsonAsync("postgres", "list");
        Assert.Equal([DevelopmentCluster.Name], clusters.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(before, (await Hangar.JsonAsync("volumes", "list")).GetArrayLength());
    }

    [Fact]
    public async Task Config_update_refuses_each_malformed_value_with_one_line_and_writes_nothing()
    {
        var before = (await Hangar.JsonAsync("postgres", "config", "show", "-a", DevelopmentCluster.Name)).GetProperty("parameters").GetRawText();
        var cases = new (string Flag, string Value, string Shown)[]
        {
            ("--work-mem", "8MB\n", "'8MB\\n' (a control character)"),
            ("--work-mem", "8MB\r", "'8MB\\r' (a control character)"),
            ("--work-mem", "8MB\u0007", "'8MB\\u0007' (a control character)"),
            ("--work-mem", " 8MB", "' 8MB' (leading or trailing space)"),
            ("--work-mem", "8MB ", "'8MB ' (leading or trailing space)"),
            ("--work-mem", "8'MB", "'8'MB' (a quote or backslash)"),
            ("--work-mem", "8 parsecs", "'8 parsecs' (not a number)"),
            ("--work-mem", "8parsecs", "'8parsecs' (unknown unit 'parsecs')"),
            ("--work-mem", "", "'' (empty)"),
            ("--work-mem", "16kB", "'16kB' (out of range)"),
            ("--shared-buffers", "99999999999999999999999999999TB", "(out of range)"),
            ("--shared-buffers", new string('1', 5000), "(longer than 1024 characters)"),
            ("--log-statement", "loud", "'loud' (not one of the values)"),
            ("--log-statement", "all\n", "'all\\n' (a control character)"),
            ("--max-connections", "100000", "'100000' (out of range)"),
        };
        foreach (var (flag, value, shown) in cases)
        {
            var line = (await Hangar.RunAsync("postgres", "config", "update", "-a", DevelopmentCluster.Name, flag, value)).Fails();
            Assert.Contains($"invalid {flag} ", line, StringComparison.Ordinal);
            Assert.Contains(shown, line, StringComparison.Ordinal);
            Assert.True(line.Length < 400, line);
        }

        // The API takes the same values from JSON, and names every problem at once.
        using (var client = Hangar.Client())
        {
            var refused = await Assert.ThrowsAsync<HangarApiException>(() => client.UpdatePostgresConfigAsync(
                DevelopmentCluster.Name, new PostgresConfigUpdateRequest { WorkMem = "8MB\n", SharedBuffers = "-8MB", LogMinDurationStatement = -5, LogStatement = "ddl" }, CancellationToken.None));
            Assert.Equal(400, refused.Status);
            foreach (var fragment in new[] { "invalid --work-mem '8MB\\n'", "invalid --shared-buffers '-8MB' (out of range)", "invalid --log-min-duration-statement '-5' (out of range)" })
            {
                Assert.Contains(fragment, refused.Message, StringComparison.Ordinal);
            }

            Assert.DoesNotContain('\n', refused.Message);
        }

        Assert.Equal(before, (await Hangar.JsonAsync("postgres", "config", "show", "-a", DevelopmentCluster.Name)).GetProperty("parameters").GetRawText());
    }

    [Fact]
    public async Task A_failed_attach_leaves_no_role_database_secret_or_attachment_and_keeps_what_it_did_not_make()
    {
        var superuser = ConnectionLine().Match(cluster.Created.Stdout).Groups[1].Value;
        (await Hangar.RunAsync("apps", "create", "undo")).ShouldSucceed();
        (await Hangar.RunAsync("apps", "create", "resume")).ShouldSucceed();

        // What an attach cut short earlier left behind: the role, with this attachment's marker (ids as the daemon makes them).
        var resumeId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DevelopmentCluster.Name + "/resume")))[..32];
        await Pg.ExecAsync(superuser, $"CREATE ROLE resume LOGIN; COMMENT ON ROLE resume IS 'hangar attachment {resumeId}'");

        // CREATE DATABASE copies template1 and fails while any other session is connected to it.
        await using (var busy = new NpgsqlConnection(Pg.Npgsql(Pg.WithDatabase(superuser, "template1"))))
        {
            await busy.OpenAsync();
            (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "undo")).ShouldFailWith("attach of app 'undo' failed, nothing kept");
            (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "resume")).ShouldFailWith("template1");

            var users = (await Hangar.JsonAsync("postgres", "users", "list", "-a", DevelopmentCluster.Name)).EnumerateArray().Select(u => u.GetProperty("name").GetString()).ToList();
            Assert.DoesNotContain("undo", users);
            Assert.Contains("resume", users);
            var databases = (await Hangar.JsonAsync("postgres", "db", "list", "-a", DevelopmentCluster.Name)).EnumerateArray().Select(d => d.GetProperty("name").GetString()).ToList();
            Assert.DoesNotContain("undo", databases);
            Assert.DoesNotContain("resume", databases);
            foreach (var app in new[] { "undo", "resume" })
            {
                Assert.Equal(0, (await Hangar.JsonAsync("secrets", "list", "-a", app)).GetArrayLength());
                using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [new Uri(Hangar.EtcdUrl)] });
                Assert.Empty(await store.ListAsync(StoreKeys.AttachmentsOf(app), CancellationToken.None));
            }

            var listed = (await Hangar.JsonAsync("postgres", "list")).EnumerateArray().Single(c => c.GetProperty("name").GetString() == DevelopmentCluster.Name);
            Assert.DoesNotContain(listed.GetProperty("apps").EnumerateArray(), a => a.GetString() is "undo" or "resume");
        }

        // template1 free again: both attach, the second finishing the role it found.
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "undo")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "resume")).ShouldSucceed();
        Assert.Equal(1, await Pg.ScalarAsync(await Pg.DatabaseUrlAsync(Hangar, "undo"), "SELECT 1"));
        Assert.Equal(1, await Pg.ScalarAsync(await Pg.DatabaseUrlAsync(Hangar, "resume"), "SELECT 1"));
        (await Hangar.RunAsync("postgres", "detach", DevelopmentCluster.Name, "--app", "undo")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "detach", DevelopmentCluster.Name, "--app", "resume")).ShouldSucceed();
    }

    [GeneratedRegex("Password: +(\\S+)")]
    private static partial Regex PasswordLine();

    [GeneratedRegex("Connection string: +(\\S+)")]
    private static partial Regex ConnectionLine();
}
