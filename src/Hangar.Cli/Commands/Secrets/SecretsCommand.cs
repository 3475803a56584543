using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;
using Hangar.Core.Errors;

namespace Hangar.Cli.Commands.Secrets;

internal static class SecretsCommand
{
    public static Command Create()
    {
        var setApp = GlobalOptions.App();
        var pairs = new Argument<string[]>("NAME=VALUE") { Description = "Secrets to set", Arity = ArgumentArity.OneOrMore };
        var set = new Command("set", "Set one or more secrets on an app").With(setApp, pairs).Runs(async (context, ct) =>
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in context.Get(pairs))
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0)
                {
                    // Never echo the argument: it may be a secret value typed without its NAME=.
                    throw HangarException.Invalid("secrets must be given as NAME=VALUE");
                }

                values[pair[..eq]] = pair[(eq + 1)..];
            }

            return Print(context, await context.Client.SetSecretsAsync(context.Get(setApp), values, ct), $"Secrets are set on app {context.Get(setApp)}: {string.Join(", ", values.Keys)}");
        });

        var importApp = GlobalOptions.App();
        var import = new Command("import", "Read secrets in dotenv format (NAME=VALUE lines) from standard input").With(importApp).Runs(async (context, ct) =>
        {
            var values = DotEnv.Parse(await Console.In.ReadToEndAsync(ct));
            if (values.Count == 0)
            {
                throw HangarException.Invalid("no secrets on standard input: expected NAME=VALUE lines");
            }

            return Print(context, await context.Client.SetSecretsAsync(context.Get(importApp), values, ct), $"Imported {values.Count} secrets into app {context.Get(importApp)}");
        });

        var listApp = GlobalOptions.App();
        var list = new Command("list", "List an app's secrets: names and digests, never values").With(listApp).Runs(async (context, ct) =>
        {
            var secrets = await context.Client.ListSecretsAsync(context.Get(listApp), ct);
            context.Out.Write(secrets, Table);
            return 0;
        });
        list.Aliases.Add("ls");

        var unsetApp = GlobalOptions.App();
        var names = new Argument<string[]>("NAME") { Description = "Secrets to remove", Arity = ArgumentArity.OneOrMore };
        var unset = new Command("unset", "Remove secrets from an app").With(unsetApp, names).Runs(async (context, ct) =>
            Print(context, await context.Client.UnsetSecretsAsync(context.Get(unsetApp), context.Get(names), ct), $"Removed {string.Join(", ", context.Get(names))} from app {context.Get(unsetApp)}"));

        return new Command("secrets", "Manage app secrets").With(set, import, list, unset);
    }

    private static int Print(CliContext context, IReadOnlyList<SecretInfo> secrets, string message)
    {
        context.Out.Write(secrets, _ => Output.Line(message));
        return 0;
    }

    private static void Table(IReadOnlyList<SecretInfo> secrets) =>
        Output.Table(["name", "digest", "created at"], secrets.Select(s => new[] { s.Name, s.Digest, Output.Ago(s.CreatedAt) }));
}
