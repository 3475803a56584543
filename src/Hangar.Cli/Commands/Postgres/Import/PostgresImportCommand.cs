using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Postgres.Admin;
using Hangar.Postgres.Connections;
using Npgsql;

namespace Hangar.Cli.Commands.Postgres.Import;

/// <summary>
/// `hangar postgres import SOURCE_URI -a CLUSTER` (flyctl's verb): pg_dump of the source without owners or grants, piped
/// into psql on the cluster, restored in one transaction as the target database's owner — so the objects belong to
/// the role the app uses, and no `must be member of role` error comes from the source's role names.
/// </summary>
internal static class PostgresImportCommand
{
    private const long ProgressStep = 8L * 1024 * 1024;

    public static Command Create()
    {
        var source = new Argument<string>("SOURCE_URI") { Description = "postgres://USER:PASSWORD@HOST:PORT/DATABASE to copy from" };
        var app = GlobalOptions.App();
        app.Description = "The cluster to import into";
        var database = new Option<string>("--database") { Description = "Database to import into (default: the source's name)" };
        var clean = new Option<bool>("--clean") { Description = "Drop database objects before creating them" };
        var create = new Option<bool>("--create") { Description = "Create the target database when it does not exist", DefaultValueFactory = _ => true };
        var dataOnly = new Option<bool>("--data-only") { Description = "Copy only the data, not the schema" };
        var noOwner = new Option<bool>("--no-owner") { Description = "Do not keep the source's owners and grants: the target's owner owns everything (false keeps them; the roles must exist)", DefaultValueFactory = _ => true };
        return new Command("import", "Copy a database from a Postgres URI into a cluster (pg_dump | psql)").With(source, app, database, clean, create, dataOnly, noOwner).Runs(async (context, ct) =>
        {
            var cluster = context.Get(app);
            var from = Source(context.Get(source));
            var target = context.Get(database) ?? from.Database!;
            if (PostgresNames.Problem("--database", target) is { } problem)
            {
                throw HangarException.Invalid(context.Get(database) is null ? problem + " (the source's database name; pass --database)" : problem);
            }

            var shown = ConnectionStrings.Redact(context.Get(source));
            var say = context.Json ? (Action<string>)(_ => { }) : Output.Line;
            await CheckReadableAsync(from, shown, ct);
            var info = await context.Client.PostgresConnectInfoAsync(cluster, ct);
            var owner = await DatabaseOwnerAsync(info, target, ct);
            if (owner is null)
            {
                if (!context.Get(create))
                {
                    throw HangarException.NotFound($"database '{target}' on postgres cluster", cluster);
                }

                await context.Client.CreatePostgresDatabaseAsync(cluster, target, ct);
                owner = info.User;
                say($"Created database {target} on cluster {cluster}");
            }

            say($"Dumping {shown} (pg_dump{(context.Get(noOwner) ? " --no-owner --no-privileges" : string.Empty)}{(context.Get(clean) ? " --clean" : string.Empty)}{(context.Get(dataOnly) ? " --data-only" : string.Empty)})");
            say($"Restoring into database {target} on cluster {cluster} as {owner}, in one transaction");
            var started = Stopwatch.StartNew();
            var bytes = await PipeAsync(from, shown, info, target, context.Get(noOwner) ? owner : null, context.Get(clean), context.Get(dataOnly), say, ct);
            var result = new { cluster, database = target, owner, bytes, seconds = Math.Round(started.Elapsed.TotalSeconds, 1) };
            context.Out.Write(result, r => Output.Line($"Imported {FormatBytes(r.bytes)} of SQL into {r.database} on cluster {r.cluster} in {r.seconds:0.0}s"));
            return 0;
        });
    }

    private static NpgsqlConnectionStringBuilder Source(string uri)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionStrings.NpgsqlFromUrl(uri));
            if (!string.IsNullOrEmpty(builder.Database) && !string.IsNullOrEmpty(builder.Host))
            {
                return builder;
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or UriFormatException)
        {
        }

        throw HangarException.Invalid($"invalid SOURCE_URI '{ConnectionStrings.Redact(uri)}': expected postgres://USER:PASSWORD@HOST:PORT/DATABASE");
    }

    /// <summary>Before anything is made on the cluster: a source that cannot be read is one line, and nothing else happens.</summary>
    private static async Task CheckReadableAsync(NpgsqlConnectionStringBuilder source, string shown, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(source.ConnectionString) { Pooling = false, Timeout = 10 };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw HangarException.Precondition($"cannot read the source {shown}: {ex.Message}");
        }
    }

    private static async Task<string?> DatabaseOwnerAsync(PostgresConnectInfo info, string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionStrings.Npgsql(info.User, info.Password, info.Host, info.Port, "postgres") + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>
    /// pg_dump's output into psql's stdin, preceded by SET ROLE so that what it creates belongs to the owner. Passwords go
    /// through PGPASSWORD, never argv (other users can read /proc/PID/cmdline). A dump that fails half way kills psql
    /// before its input ends, so the single transaction rolls back instead of committing half a database.
    /// </summary>
    private static async Task<long> PipeAsync(NpgsqlConnectionStringBuilder source, string shown, PostgresConnectInfo info, string target, string? restoreAs,
        bool clean, bool dataOnly, Action<string> say, CancellationToken cancellationToken)
    {
        var dump = Tool("pg_dump", ["-h", source.Host!, "-p", source.Port.ToString(CultureInfo.InvariantCulture), "-U", source.Username ?? "postgres", "-d", source.Database!,
            .. restoreAs is null ? Array.Empty<string>() : ["--no-owner", "--no-privileges"], .. clean ? ["--clean", "--if-exists"] : Array.Empty<string>(), .. dataOnly ? ["--data-only"] : Array.Empty<string>()]);
        dump.Environment["PGPASSWORD"] = source.Password ?? string.Empty;
        dump.Environment["PGSSLMODE"] = source.SslMode == SslMode.Disable ? "disable" : "prefer";
        dump.RedirectStandardOutput = true;
        var restore = Tool("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-h", info.Host, "-p", info.Port.ToString(CultureInfo.InvariantCulture), "-U", info.User, "-d", target, "-f", "-"]);
        restore.Environment["PGPASSWORD"] = info.Password;
        restore.RedirectStandardInput = true;
        restore.RedirectStandardOutput = true;

        using var dumper = ClientTool.Start(dump, "postgresql-client");
        using var restorer = ClientTool.Start(restore, "postgresql-client");
        var dumpErrors = dumper.StandardError.ReadToEndAsync(cancellationToken);
        var restoreErrors = restorer.StandardError.ReadToEndAsync(cancellationToken);
        var restoreOutput = restorer.StandardOutput.ReadToEndAsync(cancellationToken);
        long copied = 0;
        try
        {
            var input = restorer.StandardInput.BaseStream;
            if (restoreAs is not null)
            {
                await input.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"SET ROLE {PostgresNames.Quote(restoreAs)};\n"), cancellationToken);
            }

            var buffer = new byte[128 * 1024];
            var output = dumper.StandardOutput.BaseStream;
            int read;
            while ((read = await output.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await input.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                if ((copied + read) / ProgressStep > copied / ProgressStep)
                {
                    say($"  {FormatBytes(copied + read)} copied");
                }

                copied += read;
            }

            await dumper.WaitForExitAsync(cancellationToken);
            if (dumper.ExitCode != 0)
            {
                restorer.Kill(entireProcessTree: true);
                throw HangarException.Precondition($"cannot read the source {shown}: {FirstLine(await dumpErrors, "pg_dump exited with " + dumper.ExitCode)}; nothing was imported");
            }

            input.Close();
        }
        catch (IOException) when (restorer.HasExited || !dumper.HasExited)
        {
            // psql stopped reading: its error says why, below.
            if (!dumper.HasExited)
            {
                dumper.Kill(entireProcessTree: true);
            }
        }

        await restorer.WaitForExitAsync(cancellationToken);
        await restoreOutput;
        if (restorer.ExitCode != 0)
        {
            throw new HangarException(ErrorCodes.FailedPrecondition, $"restore into {target} failed, nothing was imported: {FirstLine(await restoreErrors, "psql exited with " + restorer.ExitCode)}");
        }

        return copied;
    }

    private static ProcessStartInfo Tool(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>The first error line a tool printed (psql and pg_dump put the cause first), or <paramref name="fallback"/>.</summary>
    private static string FirstLine(string errors, string fallback) =>
        errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(l => l.Contains("ERROR", StringComparison.Ordinal) || l.Contains("error:", StringComparison.Ordinal))
            ?? errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? fallback;

    private static string FormatBytes(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.0} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB");
}
