using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Storage.List;

internal static class StorageListCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List buckets").Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListBucketsAsync(ct), StorageFormat.Table);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }
}
