using System.CommandLine;
using Hangar.Cli.Commands.Dashboard;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Storage.Dashboard;

internal static class StorageDashboardCommand
{
    public static Command Create()
    {
        var name = StorageArguments.Name();
        return DashboardLinks.Verb(name, context => context.Get(name), "storage", "a bucket's");
    }
}
