using System.CommandLine;
using System.Globalization;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Sqlite.Restore;

internal static class SqliteRestoreCommand
{
    public static Command Create()
    {
        var name = SqliteCommand.NameArgument();
        var output = new Option<string>("--output", "-o") { Description = "Where to write the restored database (must not exist)", Required = true };
        var timestamp = new Option<string>("--timestamp") { Description = "Restore the state at this RFC 3339 time (default: the latest)" };
        return new Command("restore", "Restore a replicated database from Hangar's S3 to a new file").With(name, output, timestamp).Runs(async (context, ct) =>
        {
            var path = context.Get(output);
            var absolute = string.IsNullOrEmpty(path) || path.Any(char.IsControl) ? path : Path.GetFullPath(path);
            var restored = await context.Client.RestoreSqliteAsync(context.Get(name), new SqliteRestoreRequest(absolute, context.Get(timestamp)), ct);
            context.Out.Write(restored, r => Output.Line(
                $"Restored SQLite {r.Name}{(r.Timestamp is { } at ? " as of " + at.ToString("u", CultureInfo.InvariantCulture) : string.Empty)} to {r.Output} ({Output.Bytes(r.Bytes)} in {r.Seconds.ToString("0.00", CultureInfo.InvariantCulture)} s)"));
            return 0;
        });
    }
}
