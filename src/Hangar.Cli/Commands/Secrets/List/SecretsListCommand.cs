using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Secrets.List;

internal static class SecretsListCommand
{
    public static Command Create()
    {
        var app = GlobalOptions.App();
        var list = new Command("list", "List an app's secrets: names and digests, never values").With(app).Runs(async (context, ct) =>
        {
            var secrets = await context.Client.ListSecretsAsync(context.Get(app), ct);
            context.Out.Write(secrets, SecretsFormat.Table);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }
}
