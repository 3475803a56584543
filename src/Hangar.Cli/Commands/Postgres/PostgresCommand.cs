using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;
using Hangar.Core.Errors;
using Spectre.Console;

namespace Hangar.Cli.Commands.Postgres;

/// <summary>`hangar postgres ...`: flyctl's `fly postgres` verbs over Patroni-managed PostgreSQL 15 clusters.</summary>
internal static partial class PostgresCommand
{
    private const string DevelopmentChoice = "Development - Single node, 1GB disk";
    private const string ProductionChoice = "Production - Highly available, 3 nodes, synchronous replication, 10GB disk";

    public static Command Create()
    {
        var command = new Command("postgres", "Manage Postgres clusters: PostgreSQL 15 with Patroni, a leader-following cluster port, attach to apps")
            .With(CreateCommand(), List(), Status(), Attach(), Detach(), Connect(), Import(), Db(), Users(), Failover(), Restart(), Config(), Destroy(), Backup.PostgresBackupCommand.Create());
        command.Aliases.Add("pg");
        return command;
    }

    private static Command CreateCommand()
    {
        var name = new Option<string>("--name", "-n") { Description = "Cluster name", Required = true };
        var region = new Option<string>("--region", "-r") { Description = "Region (default: the daemon's)" };
        var size = new Option<int?>("--initial-cluster-size") { Description = "Nodes to start with (1-5; default 1 for development, 3 for production)" };
        var volume = new Option<int?>("--volume-size") { Description = "Volume size per node in GB (1-500)" };
        var password = new Option<string>("--password", "-p") { Description = "Password of the postgres superuser (default: generated)" };
        var synchronous = new Option<bool?>("--synchronous") { Description = "Synchronous replication: a commit returns once a standby has it (default: on with more than one node)" };
        var snapshot = new Option<string>("--snapshot-id") { Description = "Start from a volume snapshot (vs_...) of another cluster's node" };
        var fork = new Option<string>("--fork-from") { Description = "Start from a fresh base backup of this running cluster" };
        var backups = new Option<bool?>("--enable-backups") { Description = "pgBackRest backups and WAL archiving (default: on for production, off for development)" };
        var retention = new Option<int?>("--backup-retention") { Description = "Days of backups to keep (1-365, default 7)" };
        return new Command("create", "Create a Postgres cluster and print its superuser credentials (shown once)")
            .With(name, region, size, volume, password, synchronous, snapshot, fork, backups, retention, GlobalOptions.Yes)
            .Runs(async (context, ct) =>
            {
                string? preset = null;
                if (context.Get(size) is null && context.Get(synchronous) is null && !context.Get(GlobalOptions.Yes) && !Console.IsInputRedirected && !Console.IsOutputRedirected && !context.Json)
                {
                    var prompt = new SelectionPrompt<string> { Title = "Select configuration:" };
                    prompt.AddChoices([DevelopmentChoice, ProductionChoice]);
                    var choice = AnsiConsole.Prompt(prompt);
                    preset = choice == ProductionChoice ? "production" : "development";
                }

                var created = await context.Client.CreatePostgresAsync(new PostgresCreateRequest
                {
                    Name = context.Get(name),
                    Region = context.Get(region),
                    Preset = preset,
                    InitialClusterSize = context.Get(size),
                    VolumeSizeGb = context.Get(volume),
                    Password = context.Get(password),
                    Synchronous = context.Get(synchronous),
                    SnapshotId = context.Get(snapshot),
                    ForkFrom = context.Get(fork),
                    EnableBackups = context.Get(backups),
                    BackupRetentionDays = context.Get(retention),
                }, ct);
                context.Out.Write(created, PostgresFormat.Created);
                return 0;
            });
    }

    private static Command List()
    {
        var list = new Command("list", "List Postgres clusters").Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListPostgresAsync(ct), PostgresFormat.Table);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }

    private static Command Status()
    {
        var app = GlobalOptions.App();
        return new Command("status", "Show a cluster's nodes: role, state, lag, volume, ports").With(app).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.PostgresStatusAsync(context.Get(app), ct), PostgresFormat.Status);
            return 0;
        });
    }

    private static Command Attach()
    {
        var cluster = ClusterArgument();
        var app = GlobalOptions.App();
        var database = new Option<string>("--database-name") { Description = "Database to create (default: the app name with '-' as '_')" };
        var user = new Option<string>("--database-user") { Description = "Role to create (default: the app name with '-' as '_')" };
        var variable = new Option<string>("--variable-name") { Description = "Secret to set on the app (default DATABASE_URL)" };
        var superuser = new Option<bool>("--superuser") { Description = "Make the role a superuser" };
        return new Command("attach", "Create a database and a role for an app and set its DATABASE_URL").With(cluster, app, database, user, variable, superuser).Runs(async (context, ct) =>
        {
            var attached = await context.Client.AttachPostgresAsync(context.Get(cluster), new PostgresAttachRequest(
                context.Get(app), context.Get(database), context.Get(user), context.Get(variable), context.Get(superuser)), ct);
            context.Out.Write(attached, a =>
            {
                Output.Line($"Postgres cluster {a.Cluster} is now attached to {a.App}");
                Output.Line($"The following secret was added to {a.App}:");
                Output.Line($"  {a.Variable}={a.Url}");
            });
            return 0;
        });
    }

    private static Command Detach()
    {
        var cluster = ClusterArgument();
        var app = GlobalOptions.App();
        var variable = new Option<string>("--variable-name") { Description = "Which attachment, by the secret it set (needed when the app has several of this cluster)" };
        return new Command("detach", "Drop an app's role and unset its secret (the database is kept)").With(cluster, app, variable).Runs(async (context, ct) =>
        {
            var name = context.Get(cluster);
            var target = context.Get(app);
            var which = context.Parse.GetValue(variable);
            await context.Client.DetachPostgresAsync(name, target, which, ct);
            context.Out.Write(new { cluster = name, app = target, variable = which }, _ =>
                Output.Line($"Postgres cluster {name} detached from app {target}{(which is null ? string.Empty : " (" + which + ")")}"));
            return 0;
        });
    }

    private static Command Connect()
    {
        var app = GlobalOptions.App();
        var database = new Option<string>("--database", "-d") { Description = "Database (default postgres)" };
        var user = new Option<string>("--user", "-u") { Description = "User (default postgres)" };
        var password = new Option<string>("--password", "-p") { Description = "Password of --user (default: the superuser's when --user is postgres; psql asks otherwise)" };
        return new Command("connect", "Open psql on the cluster through its cluster port").With(app, database, user, password).Runs(async (context, ct) =>
        {
            var info = await context.Client.PostgresConnectInfoAsync(context.Get(app), ct);
            var asUser = context.Get(user) ?? info.User;
            var start = new ProcessStartInfo("psql") { UseShellExecute = false };
            foreach (var argument in new[] { "-h", info.Host, "-p", info.Port.ToString(CultureInfo.InvariantCulture), "-U", asUser, "-d", context.Get(database) ?? "postgres" })
            {
                start.ArgumentList.Add(argument);
            }

            // In the environment, not argv: other users can read a process's arguments in /proc.
            if (context.Get(password) is { } given)
            {
                start.Environment["PGPASSWORD"] = given;
            }
            else if (asUser == info.User)
            {
                start.Environment["PGPASSWORD"] = info.Password;
            }

            Process process;
            try
            {
                process = Process.Start(start) ?? throw HangarException.Invalid("could not start psql");
            }
            catch (Win32Exception ex)
            {
                throw HangarException.Precondition($"could not run psql ({ex.Message}): install the postgresql-client package");
            }

            using (process)
            {
                await process.WaitForExitAsync(CancellationToken.None);
                return process.ExitCode;
            }
        });
    }

    private static Command Db()
    {
        var listApp = GlobalOptions.App();
        var list = new Command("list", "List the cluster's databases").With(listApp).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListPostgresDatabasesAsync(context.Get(listApp), ct), PostgresFormat.Databases);
            return 0;
        });
        list.Aliases.Add("ls");
        var createApp = GlobalOptions.App();
        var dbName = new Argument<string>("name") { Description = "Database name" };
        var create = new Command("create", "Create a database (owned by postgres; `attach --database-name` gives it to an app)").With(dbName, createApp).Runs(async (context, ct) =>
        {
            var cluster = context.Get(createApp);
            var database = context.Get(dbName);
            await context.Client.CreatePostgresDatabaseAsync(cluster, database, ct);
            context.Out.Write(new { cluster, database }, _ => Output.Line($"Database {database} created on {cluster}"));
            return 0;
        });
        return new Command("db", "Manage databases in a cluster").With(list, create);
    }

    private static Command Users()
    {
        var app = GlobalOptions.App();
        var list = new Command("list", "List the cluster's users and the databases they may connect to").With(app).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListPostgresUsersAsync(context.Get(app), ct), PostgresFormat.Users);
            return 0;
        });
        list.Aliases.Add("ls");
        return new Command("users", "Manage users in a cluster").With(list);
    }

    private static Command Destroy()
    {
        var cluster = ClusterArgument();
        var force = new Option<bool>("--force") { Description = "Destroy even while attached: the apps' secrets are removed" };
        return new Command("destroy", "Destroy a cluster, its nodes, volumes and data").With(cluster, force, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            var name = context.Get(cluster);
            context.Confirm(context.Get(GlobalOptions.Yes), $"Destroy Postgres cluster {name} and all its data?", $"not destroying postgres cluster {name} without confirmation");
            await context.Client.DestroyPostgresAsync(name, context.Get(force), ct);
            context.Out.Write(new { destroyed = name }, _ => Output.Line($"Destroyed Postgres cluster {name}"));
            return 0;
        });
    }

    private static Argument<string> ClusterArgument() => new("cluster") { Description = "Cluster name" };
}
