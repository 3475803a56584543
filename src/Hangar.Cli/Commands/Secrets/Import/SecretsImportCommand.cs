using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Core.Errors;

namespace Hangar.Cli.Commands.Secrets.Import;

internal static class SecretsImportCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        return new Command("import", "Read secrets in dotenv format (NAME=VALUE lines) from standard input").With(app).Runs(async (context, ct) =>
        {
            var values = DotEnv.Parse(await Console.In.ReadToEndAsync(ct));
            if (values.Count == 0)
            {
                throw HangarException.Invalid("no secrets on standard input: expected NAME=VALUE lines");
            }

            return SecretsFormat.Changed(context, await context.Client.SetSecretsAsync(context.Get(app), values, ct), $"Imported {values.Count} secrets into app {context.Get(app)}");
        });
    }
}
