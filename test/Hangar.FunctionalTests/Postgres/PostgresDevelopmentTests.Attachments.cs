using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hangar.State;
using Hangar.State.Etcd;
using Hangar.FunctionalTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

public sealed partial class PostgresDevelopmentTests
{
    [Fact]
    public async Task Attach_prints_the_url_with_host_port_and_database_and_the_password_masked()
    {
        (await Hangar.RunAsync("apps", "create", "shape")).ShouldSucceed();
        var output = (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "shape")).ShouldSucceed().Stdout;
        var url = await Pg.DatabaseUrlAsync(Hangar, "shape");
        var password = Uri.UnescapeDataString(new Uri(url).UserInfo.Split(':', 2)[1]);
        var port = new Uri(url).Port;
        Assert.Equal(
            $"Postgres cluster {DevelopmentCluster.Name} is now attached to shape\nThe following secret was added to shape:\n  DATABASE_URL=postgres://shape:********@127.0.0.1:{port}/shape\n",
            output);
        Assert.DoesNotContain(password, output, StringComparison.Ordinal);
        (await Hangar.RunAsync("postgres", "detach", DevelopmentCluster.Name, "--app", "shape")).ShouldSucceed();
    }

    [Fact]
    public async Task One_app_holds_several_attachments_of_one_cluster_each_detached_on_its_own()
    {
        (await Hangar.RunAsync("apps", "create", "mover")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "mover")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "mover", "--variable-name", "NEW_DATABASE_URL",
            "--database-name", "mover_new", "--database-user", "mover_new")).ShouldSucceed();
        var old = await Pg.DatabaseUrlAsync(Hangar, "mover");
        var fresh = await Pg.DatabaseUrlAsync(Hangar, "mover", "NEW_DATABASE_URL");
        Assert.Equal("mover", await Pg.ScalarAsync(old, "SELECT current_database()"));
        Assert.Equal("mover_new", await Pg.ScalarAsync(fresh, "SELECT current_database()"));

        // The same variable twice: refused with one line, no role or database made.
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "mover", "--database-name", "mover_x", "--database-user", "mover_x"))
            .ShouldFailWith("attachment of postgres cluster 'dev' to app 'mover' as DATABASE_URL already exists");
        var users = await Hangar.JsonAsync("postgres", "users", "list", "-a", DevelopmentCluster.Name);
        Assert.DoesNotContain(users.EnumerateArray(), u => u.GetProperty("name").GetString() == "mover_x");
        var databases = await Hangar.JsonAsync("postgres", "db", "list", "-a", DevelopmentCluster.Name);
        Assert.DoesNotContain(databases.EnumerateArray(), d => d.GetProperty("name").GetString() == "mover_x");

        // Without --variable-name, detach cannot know which: it says which there are.
        Assert.Equal(
            "Error: postgres cluster 'dev' is attached to app 'mover' as DATABASE_URL, NEW_DATABASE_URL: pass --variable-name to say which to detach",
            (await Hangar.RunAsync("postgres", "detach", DevelopmentCluster.Name, "--app", "mover")).Fails());

        // Each on its own: the other keeps its role, its database and its secret.
        (await Hangar.RunAsync("postgres", "detach", DevelopmentCluster.Name, "--app", "mover", "--variable-name", "NEW_DATABASE_URL")).ShouldSucceed();
        Assert.NotEqual(0, (await Hangar.RunAsync("run", "-a", "mover", "--", "printenv", "NEW_DATABASE_URL")).ExitCode);
        await Assert.ThrowsAsync<PostgresException>(() => Pg.ScalarAsync(fresh, "SELECT 1"));
        Assert.Equal(old, await Pg.DatabaseUrlAsync(Hangar, "mover"));
        Assert.Equal("mover", await Pg.ScalarAsync(old, "SELECT current_database()"));

        // With one left, no flag is needed, as before.
        (await Hangar.RunAsync("postgres", "detach", DevelopmentCluster.Name, "--app", "mover")).ShouldSucceed();
        await Assert.ThrowsAsync<PostgresException>(() => Pg.ScalarAsync(old, "SELECT 1"));
        (await Hangar.RunAsync("postgres", "detach", DevelopmentCluster.Name, "--app", "mover")).ShouldFailWith("is not attached to app 'mover'");

        // `apps destroy --force` takes every attachment with it.
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "mover", "--variable-name", "OLD_DATABASE_URL", "--database-name", "mover_o", "--database-user", "mover_o")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "mover", "--variable-name", "NEW_DATABASE_URL", "--database-name", "mover_n", "--database-user", "mover_n")).ShouldSucceed();
        (await Hangar.RunAsync("apps", "destroy", "mover", "--yes")).ShouldFailWith("postgres:dev");
        (await Hangar.RunAsync("apps", "destroy", "mover", "--yes", "--force")).ShouldSucceed();
        (await Hangar.RunAsync("apps", "create", "mover")).ShouldSucceed();
        var apps = await Hangar.JsonAsync("apps", "list");
        var mover = apps.EnumerateArray().Single(a => a.GetProperty("name").GetString() == "mover");
        Assert.Empty(mover.GetProperty("attached").EnumerateArray());
    }

    [Fact]
    public async Task Logs_n_is_the_last_n_lines_of_all_processes_merged_in_time_order()
    {
        var lines = (await Hangar.RunAsync("logs", "-a", DevelopmentCluster.Name, "-n", "20")).ShouldSucceed().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(20, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^\[(pg-dev-1|proxy-dev)\] ", l));

        // Every stamped line is at or after the one before (Patroni, PostgreSQL and the proxy all stamp UTC here).
        var stamps = lines.Select(l => Stamp().Match(l)).Where(m => m.Success).Select(m => m.Value.Replace('T', ' ')).ToList();
        Assert.NotEmpty(stamps);
        Assert.Equal(stamps.Order(StringComparer.Ordinal), stamps);
    }

    [Fact]
    public async Task An_app_role_reads_its_statements_in_pg_stat_statements()
    {
        (await Hangar.RunAsync("apps", "create", "stats")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "stats")).ShouldSucceed();
        var url = await Pg.DatabaseUrlAsync(Hangar, "stats");
        Assert.Equal(42, await Pg.ScalarAsync(url, "SELECT 42 AS hangar_stats_probe"));
        var seen = await Pg.ScalarAsync(url, "SELECT string_agg(query, ' | ') FROM pg_stat_statements WHERE query LIKE '%hangar_stats_probe%' AND query NOT LIKE '%pg_stat_statements%'");
        Assert.Equal("SELECT $1 AS hangar_stats_probe", seen);
        Assert.Equal(false, await Pg.ScalarAsync(url, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        (await Hangar.RunAsync("postgres", "detach", DevelopmentCluster.Name, "--app", "stats")).ShouldSucceed();
    }

    [Fact]
    public async Task A_cluster_made_before_pg_stat_statements_was_preloaded_gets_it_at_its_next_restart()
    {
        // Made "old": the library taken out of the cluster's dynamic configuration, as clusters created before had it.
        const string Parameter = "shared_preload_libraries";
        using (var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [new Uri(Hangar.EtcdUrl)] }))
        {
            var key = $"/hangar-pg/{DevelopmentCluster.Name}/config";
            var entry = await store.GetAsync(key, CancellationToken.None) ?? throw new InvalidOperationException("no Patroni config in etcd");
            var config = JsonNode.Parse(entry.Value)!.AsObject();
            Assert.True(config["postgresql"]!["parameters"]!.AsObject().Remove(Parameter));
            Assert.NotNull(await store.TryCommitAsync(new StoreTxn([new StoreCondition(key, entry.ModRevision)], [new PutOp(key, Encoding.UTF8.GetBytes(config.ToJsonString()))]), CancellationToken.None));
        }

        await Poll.UntilAsync(async () => (await Hangar.JsonAsync("postgres", "config", "show", "-a", DevelopmentCluster.Name)).GetProperty("pendingRestart").GetArrayLength() > 0,
            TimeSpan.FromSeconds(20), "the node to want a restart without the library");

        // Restarted by a config update (which leaves the library out), the node runs without it, as an old cluster did.
        (await Hangar.RunAsync("postgres", "config", "update", "-a", DevelopmentCluster.Name, "--max-connections", "100", "--force")).ShouldSucceed();
        var superuser = ConnectionLine().Match(cluster.Created.Stdout).Groups[1].Value;
        await PollPreloadedAsync(superuser, string.Empty);

        var restart = await Hangar.JsonAsync("postgres", "restart", "-a", DevelopmentCluster.Name);
        Assert.Equal(["dev-1"], restart.GetProperty("restarted").EnumerateArray().Select(n => n.GetString()));
        var shown = await Hangar.JsonAsync("postgres", "config", "show", "-a", DevelopmentCluster.Name);
        Assert.Equal("pg_stat_statements", shown.GetProperty("parameters").GetProperty(Parameter).GetString());
        Assert.Empty(shown.GetProperty("pendingRestart").EnumerateArray());
        await PollPreloadedAsync(superuser, "pg_stat_statements");
    }

    private static Task PollPreloadedAsync(string superuser, string libraries) => Poll.UntilAsync(async () =>
    {
        try
        {
            return (await Pg.ScalarAsync(superuser, "SHOW shared_preload_libraries")) as string == libraries;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }, TimeSpan.FromSeconds(30), $"the node to run with shared_preload_libraries '{libraries}'");

    [Fact]
    public async Task Import_copies_an_attached_database_into_another_owned_by_its_role_without_errors()
    {
        (await Hangar.RunAsync("apps", "create", "migrant")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "migrant", "--variable-name", "OLD_DATABASE_URL", "--database-name", "migrant_old", "--database-user", "migrant_old")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "migrant", "--variable-name", "NEW_DATABASE_URL", "--database-name", "migrant_new", "--database-user", "migrant_new")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "migrant", "--variable-name", "COPY_DATABASE_URL", "--database-name", "migrant_copy", "--database-user", "migrant_copy")).ShouldSucceed();
        var old = await Pg.DatabaseUrlAsync(Hangar, "migrant", "OLD_DATABASE_URL");
        var fresh = await Pg.DatabaseUrlAsync(Hangar, "migrant", "NEW_DATABASE_URL");
        await Pg.ExecAsync(old, "CREATE TABLE items(id serial PRIMARY KEY, name text NOT NULL UNIQUE); INSERT INTO items(name) SELECT 'item ' || g FROM generate_series(1, 500) g; CREATE VIEW first_items AS SELECT * FROM items WHERE id <= 10");
        const string Rows = "SELECT count(*) || ':' || sum(id) || ':' || max(name) FROM items";
        var expected = await Pg.ScalarAsync(old, Rows);

        var import = (await Hangar.RunAsync("postgres", "import", old, "-a", DevelopmentCluster.Name, "--database", "migrant_new")).ShouldSucceed();
        Assert.Equal(string.Empty, import.Stderr);
        Assert.Contains("Restoring into database migrant_new on cluster dev as migrant_new", import.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(new Uri(old).UserInfo.Split(':')[1], import.Stdout, StringComparison.Ordinal);
        Assert.Equal(expected, await Pg.ScalarAsync(fresh, Rows));
        Assert.Equal("migrant_new", await Pg.ScalarAsync(fresh, "SELECT tableowner FROM pg_tables WHERE tablename = 'items'"));
        await Pg.ExecAsync(fresh, "INSERT INTO items(name) VALUES ('after the move')");
        Assert.Equal(10L, await Pg.ScalarAsync(fresh, "SELECT count(*) FROM first_items"));

        // The recipe by hand, dumped without owners and grants, restores as the other role with no error at all.
        var recipe = (await Hangar.RunAsync("run", "-a", "migrant", "--", "sh", "-c",
            "f=$(mktemp) && pg_dump --no-owner --no-privileges \"$OLD_DATABASE_URL\" > \"$f\" && psql -X -q -v ON_ERROR_STOP=1 \"$COPY_DATABASE_URL\" < \"$f\"; status=$?; rm -f \"$f\"; exit $status")).ShouldSucceed();
        Assert.DoesNotContain("ERROR", recipe.Stdout + recipe.Stderr, StringComparison.Ordinal);
        Assert.Equal(expected, await Pg.ScalarAsync(await Pg.DatabaseUrlAsync(Hangar, "migrant", "COPY_DATABASE_URL"), Rows));

        // A source that cannot be read: one line naming it without its password; nothing made.
        var unreadable = (await Hangar.RunAsync("postgres", "import", "postgres://nobody:hunter2@127.0.0.1:1/gone", "-a", DevelopmentCluster.Name)).Fails();
        Assert.StartsWith("Error: cannot read the source postgres://nobody:********@127.0.0.1:1/gone: ", unreadable, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", unreadable, StringComparison.Ordinal);
        var databases = await Hangar.JsonAsync("postgres", "db", "list", "-a", DevelopmentCluster.Name);
        Assert.DoesNotContain(databases.EnumerateArray(), d => d.GetProperty("name").GetString() == "gone");
        (await Hangar.RunAsync("postgres", "import", "mysql://x@y/z", "-a", DevelopmentCluster.Name)).ShouldFailWith("invalid SOURCE_URI 'mysql://x@y/z'");
    }

    [GeneratedRegex(@"(?<=^\[[a-z0-9-]+\] )\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}")]
    private static partial Regex Stamp();
}
