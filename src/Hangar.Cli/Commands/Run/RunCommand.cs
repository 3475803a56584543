using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using Hangar.Cli.Infrastructure;
using Hangar.Core.Errors;

namespace Hangar.Cli.Commands.Run;

/// <summary>`hangar run -a APP -- CMD ARGS...`: a local command with the app's secrets as its environment; its exit code is ours.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var command = new Argument<string[]>("command") { Description = "The command and its arguments (after --)", Arity = ArgumentArity.OneOrMore };
        var sqlite = new Option<string>("--sqlite") { Description = "Restore this replicated SQLite database if its file is missing, then run the command under `litestream replicate -exec`" };
        return new Command("run", "Run a local command with an app's secrets in its environment").With(app, sqlite, command).Runs(async (context, ct) =>
        {
            var secrets = await context.Client.SecretValuesAsync(context.Get(app), ct);
            var argv = context.Get(command);
            if (context.Get(sqlite) is { } database)
            {
                return await Sqlite.Run.SqliteRun.RunAsync(context.Client, context.Get(app), database, argv, secrets, ct);
            }

            var start = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
            foreach (var argument in argv.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in secrets)
            {
                start.Environment[name] = value;
            }

            Process process;
            try
            {
                process = Process.Start(start) ?? throw HangarException.Invalid($"could not start '{argv[0]}'");
            }
            catch (Win32Exception ex)
            {
                throw HangarException.Invalid($"could not run '{argv[0]}': {ex.Message}");
            }

            using (process)
            {
                // Ctrl-C reaches the child through the terminal; we only wait for it and pass its code on.
                await process.WaitForExitAsync(CancellationToken.None);
                return process.ExitCode;
            }
        });
    }
}
