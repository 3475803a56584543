using Hangar.Core.Errors;
using Hangar.Core.Ids;
using Hangar.Postgres.Admin;
using Hangar.Postgres.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Hangar.Postgres.Tests.Admin;

[Collection(PgClusterCollection.Name)]
public sealed class AttachDetachTests(PgClusterFixture fixture)
{
    [Fact]
    public async Task Attached_app_role_owns_its_database_cannot_reach_another_and_detach_keeps_the_data()
    {
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var leader = await fixture.LeaderAsync();
        var admin = new PostgresAdmin(leader.AdminConnectionString(), NullLogger<PostgresAdmin>.Instance);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var shop = PostgresNames.FromAppName($"shop-{suffix}");
        var blog = PostgresNames.FromAppName($"blog-{suffix}");
        var shopPassword = Passwords.New();
        var blogPassword = Passwords.New();

        var shopResult = await admin.AttachAsync(new AttachRequest(shop, shop, shopPassword, "att-shop"), CancellationToken.None);
        var blogResult = await admin.AttachAsync(new AttachRequest(blog, blog, blogPassword, "att-blog"), CancellationToken.None);
        Assert.True(shopResult.RoleCreated && shopResult.DatabaseCreated);
        Assert.True(blogResult.RoleCreated && blogResult.DatabaseCreated);

        // The app role reads and writes its own database.
        var shopConnection = leader.ConnectionString(shop, shopPassword, shop);
        await Sql.ExecuteAsync(shopConnection, "CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'ticket')");
        Assert.Equal("ticket", await Sql.ScalarAsync(shopConnection, "SELECT item FROM orders WHERE id = 1"));
        Assert.Equal(false, await Sql.ScalarAsync(shopConnection, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));

        // ... but cannot connect to the other app's database, nor to postgres' own.
        var denied = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync(leader.ConnectionString(shop, shopPassword, blog), "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        var wrongPassword = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync(leader.ConnectionString(shop, blogPassword, shop), "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, wrongPassword.SqlState);

        // The write reached the synchronous standby too (it is what a failover would promote).
        var replicas = (await fixture.ClusterAsync()).Replicas.Select(r => fixture.Node(r.Name));
        foreach (var replica in replicas)
        {
            await Poll.UntilAsync($"orders row on {replica.Name}", TimeSpan.FromSeconds(10), async () =>
            {
                var item = await Sql.ScalarAsync(replica.ConnectionString(shop, shopPassword, shop), "SELECT item FROM orders WHERE id = 1");
                return ((item as string) == "ticket", item?.ToString() ?? "null");
            });
        }

        var users = await admin.ListUsersAsync(CancellationToken.None);
        var shopUser = Assert.Single(users, u => u.Name == shop);
        Assert.False(shopUser.Superuser);
        Assert.Equal([shop], shopUser.Databases);
        Assert.Contains(users, u => u.Name == "hangar_admin" && u.Superuser);
        Assert.Contains(users, u => u.Name == "postgres" && u.Superuser);
        Assert.Contains(users, u => u.Name == "replicator" && !u.Superuser);
        var databases = await admin.ListDatabasesAsync(CancellationToken.None);
        var shopDatabase = Assert.Single(databases, d => d.Name == shop);
        Assert.Equal(shop, shopDatabase.Owner);
        Assert.True(shopDatabase.SizeBytes > 0);
        Assert.Contains(shop, shopDatabase.Users);
        Assert.DoesNotContain(blog, shopDatabase.Users);

        // A second attach under the same role name is refused; the same attachment resumes.
        var again = await Assert.ThrowsAsync<HangarException>(() => admin.AttachAsync(new AttachRequest(shop, shop, Passwords.New(), "att-other"), CancellationToken.None));
        Assert.Equal(ErrorCodes.AlreadyExists, again.Code);
        var resumed = await admin.AttachAsync(new AttachRequest(shop, shop, shopPassword, "att-shop"), CancellationToken.None);
        Assert.False(resumed.RoleCreated);
        Assert.False(resumed.DatabaseCreated);

        // Detach: sessions ended, role gone, database and data kept (owned by postgres now).
        await using var open = new NpgsqlConnection(shopConnection);
        await open.OpenAsync();
        Assert.True(await admin.DetachAsync(shop, CancellationToken.None));
        Assert.False(await admin.DetachAsync(shop, CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var command = new NpgsqlCommand("SELECT 1", open);
            await command.ExecuteScalarAsync();
        });
        var gone = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync(shopConnection, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, gone.SqlState);
        Assert.DoesNotContain(await admin.ListUsersAsync(CancellationToken.None), u => u.Name == shop);
        var kept = Assert.Single(await admin.ListDatabasesAsync(CancellationToken.None), d => d.Name == shop);
        Assert.Equal("postgres", kept.Owner);
        Assert.Equal("ticket", await Sql.ScalarAsync(leader.AdminConnectionString(shop), "SELECT item FROM orders WHERE id = 1"));
        Assert.Equal("postgres", await Sql.ScalarAsync(leader.AdminConnectionString(shop), "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'"));

        // The kept database is not silently handed to a new role; the refused attach leaves no role behind.
        var kept2 = await Assert.ThrowsAsync<HangarException>(() => admin.AttachAsync(new AttachRequest(shop, shop, Passwords.New(), "att-shop-2"), CancellationToken.None));
        Assert.Equal(ErrorCodes.AlreadyExists, kept2.Code);
        Assert.Contains($"database '{shop}' already exists", kept2.Message, StringComparison.Ordinal);
        var conflict = await Assert.ThrowsAsync<HangarException>(() => admin.AttachAsync(new AttachRequest(blog, $"other_{suffix}", Passwords.New(), "att-x"), CancellationToken.None));
        Assert.Equal(ErrorCodes.AlreadyExists, conflict.Code);
        Assert.DoesNotContain(await admin.ListUsersAsync(CancellationToken.None), u => u.Name == shop || u.Name == $"other_{suffix}");

        // Under a new database name the app attaches again.
        var newPassword = Passwords.New();
        var reattached = await admin.AttachAsync(new AttachRequest(shop + "_2", shop, newPassword, "att-shop-3"), CancellationToken.None);
        Assert.True(reattached.RoleCreated && reattached.DatabaseCreated);
        Assert.Equal(1, await Sql.ScalarAsync(leader.ConnectionString(shop, newPassword, shop + "_2"), "SELECT 1"));

        await admin.DetachAsync(shop, CancellationToken.None);
        await admin.DetachAsync(blog, CancellationToken.None);
    }

    [Fact]
    public async Task Superuser_attach_database_create_and_bad_names()
    {
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var leader = await fixture.LeaderAsync();
        var admin = new PostgresAdmin(leader.AdminConnectionString(), NullLogger<PostgresAdmin>.Instance);
        var name = "ops_" + Guid.NewGuid().ToString("N")[..6];
        var password = Passwords.New();
        await admin.AttachAsync(new AttachRequest(name, name, password, "att-ops", Superuser: true), CancellationToken.None);
        Assert.Equal(true, await Sql.ScalarAsync(leader.ConnectionString(name, password, name), "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));

        var plain = "reports_" + Guid.NewGuid().ToString("N")[..6];
        await admin.CreateDatabaseAsync(plain, CancellationToken.None);
        var exists = await Assert.ThrowsAsync<HangarException>(() => admin.CreateDatabaseAsync(plain, CancellationToken.None));
        Assert.Equal(ErrorCodes.AlreadyExists, exists.Code);
        Assert.Equal("postgres", Assert.Single(await admin.ListDatabasesAsync(CancellationToken.None), d => d.Name == plain).Owner);

        var invalid = await Assert.ThrowsAsync<HangarException>(() => admin.AttachAsync(new AttachRequest("Bad-Name", "postgres", "", "att-bad"), CancellationToken.None));
        Assert.Equal(ErrorCodes.InvalidArgument, invalid.Code);
        // Every problem at once.
        Assert.Contains("database name 'Bad-Name'", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("user name 'postgres'", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("password must not be empty", invalid.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HangarException>(() => admin.DetachAsync("hangar_admin", CancellationToken.None));
        await Assert.ThrowsAsync<HangarException>(() => admin.CreateDatabaseAsync("x\"; DROP DATABASE postgres; --", CancellationToken.None));

        await admin.DetachAsync(name, CancellationToken.None);
    }
}
