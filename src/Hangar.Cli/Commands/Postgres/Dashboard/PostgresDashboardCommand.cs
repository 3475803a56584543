using System.CommandLine;
using Hangar.Cli.Commands.Dashboard;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Postgres.Dashboard;

internal static class PostgresDashboardCommand
{
    public static Command Create()
    {
        var name = GlobalOptions.App();
        return DashboardLinks.Verb(name, context => context.Get(name), "postgres", "a cluster's");
    }
}
