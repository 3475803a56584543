using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Mpg.Backup.Create;

internal static class MpgBackupCreateCommand
{
    public static Command Create()
    {
        var cluster = MpgArguments.Cluster();
        var type = new Option<string>("--type") { Description = "full, diff or incr (default incr; full when there is none)" };
        return new Command("create", "Take a backup now").With(cluster, type).Runs(async (context, ct) =>
        {
            await context.Client.MpgStatusAsync(context.Get(cluster), ct);
            var started = await context.Client.CreatePostgresBackupAsync(context.Get(cluster), new PostgresBackupCreateRequest(context.Get(type), false), ct);
            context.Out.Write(started, s => Output.Line(s.Backup is { } b
                ? $"Backup {b.Id} ({b.Type}) of {s.Cluster}: {Output.Bytes(b.Size)} in {b.DurationSeconds:0.0}s"
                : $"A {s.Type} backup of {s.Cluster} started"));
            return 0;
        });
    }
}
