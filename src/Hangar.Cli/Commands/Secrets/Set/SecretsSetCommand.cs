using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Core.Errors;

namespace Hangar.Cli.Commands.Secrets.Set;

internal static class SecretsSetCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var pairs = new Argument<string[]>("NAME=VALUE") { Description = "Secrets to set", Arity = ArgumentArity.OneOrMore };
        return new Command("set", "Set one or more secrets on an app").With(app, pairs).Runs(async (context, ct) =>
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

            return SecretsFormat.Changed(context, await context.Client.SetSecretsAsync(context.Get(app), values, ct), $"Secrets are set on app {context.Get(app)}: {string.Join(", ", values.Keys)}");
        });
    }
}
