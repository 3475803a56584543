using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Storage.Keys.List;

internal static class StorageKeysListCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List access keys (never their secrets)").Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListStorageKeysAsync(ct), StorageFormat.Keys);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }
}
