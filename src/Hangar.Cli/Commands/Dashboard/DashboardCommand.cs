using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Dashboard;

internal static class DashboardCommand
{
    public static Command Create() =>
        new Command("dashboard", "Print the web dashboard's URL and a one-time login link (opens it on a desktop)")
            .Runs((context, ct) => DashboardLinks.ShowAsync(context, null, null, ct));
}
