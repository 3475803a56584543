using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Secrets.Unset;

internal static class SecretsUnsetCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var names = new Argument<string[]>("NAME") { Description = "Secrets to remove", Arity = ArgumentArity.OneOrMore };
        return new Command("unset", "Remove secrets from an app").With(app, names).Runs(async (context, ct) =>
            SecretsFormat.Changed(context, await context.Client.UnsetSecretsAsync(context.Get(app), context.Get(names), ct), $"Removed {string.Join(", ", context.Get(names))} from app {context.Get(app)}"));
    }
}
