using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;
using Spectre.Console;

namespace Hangar.Cli.Commands.Postgres.Create;

/// <summary>`hangar postgres create`: on a terminal without a size or replication mode, asks for a preset as flyctl does.</summary>
internal static class PostgresCreateCommand
{
    private const string DevelopmentChoice = "Development - Single node, 1GB disk";
    private const string ProductionChoice = "Production - Highly available, 3 nodes, synchronous replication, 10GB disk";

    public static Command Create()
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
        var postgis = new Option<bool>("--enable-postgis-support") { Description = "Create PostGIS in each app database the cluster makes (attach, db create)" };
        var autostop = new Option<string?>("--autostop")
        {
            Description = "Scale to zero (single node): stop the node after this long without a connection (default 1h); the next connection starts it",
            Arity = ArgumentArity.ZeroOrOne,
            // Bare --autostop takes Fly's default; a value is checked by the daemon, which names what is allowed.
            CustomParser = result => result.Tokens.Count == 0 ? "1h" : result.Tokens[0].Value,
        };
        return new Command("create", "Create a Postgres cluster and print its superuser credentials (shown once)")
            .With(name, region, size, volume, password, synchronous, snapshot, fork, backups, retention, postgis, autostop, GlobalOptions.Yes)
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
                    EnablePostgis = context.Get(postgis),
                    Autostop = context.Get(autostop),
                }, ct);
                context.Out.Write(created, PostgresFormat.Created);
                return 0;
            });
    }
}
