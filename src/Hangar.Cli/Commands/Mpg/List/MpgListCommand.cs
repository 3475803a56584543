using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.List;

internal static class MpgListCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List managed Postgres clusters").Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListMpgAsync(ct), MpgFormat.Table);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }
}
