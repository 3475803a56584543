using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;
using Spectre.Console;

namespace Hangar.Cli.Commands.Postgres.Backup.Create;

/// <summary>`hangar postgres backup create`: waits with a spinner on a terminal unless --detach.</summary>
internal static class PostgresBackupCreateCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var type = new Option<string>("--type") { Description = "full, diff or incr (default incr; full when there is none)" };
        var detach = new Option<bool>("--detach") { Description = "Return at once; the backup goes on in the daemon" };
        return new Command("create", "Take a backup now").With(app, type, detach).Runs(async (context, ct) =>
        {
            var request = new PostgresBackupCreateRequest(context.Get(type), context.Get(detach));
            PostgresBackupStarted started;
            if (!request.Detach && !context.Json && !Console.IsOutputRedirected)
            {
                started = await AnsiConsole.Status().StartAsync($"Taking a {request.Type ?? "incr"} backup of {context.Get(app)}...", _ => context.Client.CreatePostgresBackupAsync(context.Get(app), request, ct));
            }
            else
            {
                started = await context.Client.CreatePostgresBackupAsync(context.Get(app), request, ct);
            }

            context.Out.Write(started, s => Output.Line(s.Backup is { } b
                ? $"Backup {b.Id} ({b.Type}) of {s.Cluster}: {Output.Bytes(b.Size)} ({Output.Bytes(b.StoredSize)} stored) in {b.DurationSeconds:0.0}s"
                : $"A {s.Type} backup of {s.Cluster} started; see `hangar postgres backup list -a {s.Cluster}`"));
            return 0;
        });
    }
}
