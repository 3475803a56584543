using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Sqlite.Replicate;

internal static class SqliteReplicateCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "The SQLite database file (in WAL mode)" };
        var app = GlobalOptions.App();
        var name = new Option<string>("--name", "-n") { Description = "Name of the replica (default: from the file name)" };
        var bucket = new Option<string>("--bucket") { Description = "Bucket to replicate into (default: the app's one bucket, else APP-sqlite, made if missing)" };
        var sync = new Option<string>("--sync-interval") { Description = "How often WAL is shipped (default 1s)" };
        var retention = new Option<string>("--retention") { Description = "How long the replica keeps history (default 72h)" };
        var snapshot = new Option<string>("--snapshot-interval") { Description = "How often a full snapshot is taken (default 24h)" };
        return new Command("replicate", "Register a SQLite database and replicate it continuously with Litestream")
            .With(path, app, name, bucket, sync, retention, snapshot)
            .Runs(async (context, ct) =>
            {
                var file = context.Get(path);

                // The daemon runs on this host but not in this directory: a relative path is the caller's.
                var absolute = string.IsNullOrEmpty(file) || file.Any(char.IsControl) ? file : Path.GetFullPath(file);
                var db = await context.Client.ReplicateSqliteAsync(new SqliteReplicateRequest
                {
                    Path = absolute,
                    App = context.Get(app),
                    Name = context.Get(name),
                    Bucket = context.Get(bucket),
                    SyncInterval = context.Get(sync),
                    Retention = context.Get(retention),
                    SnapshotInterval = context.Get(snapshot),
                }, ct);
                context.Out.Write(db, d => Output.Line($"SQLite {d.Name}: replicating {d.Path} to {d.ReplicaUrl} every {d.SyncInterval} (retention {d.Retention}, snapshots every {d.SnapshotInterval})"));
                return 0;
            });
    }
}
