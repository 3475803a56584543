using System.CommandLine;
using Hangar.Cli.Commands.Apps.Create;
using Hangar.Cli.Commands.Apps.Destroy;
using Hangar.Cli.Commands.Apps.List;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Apps;

internal static class AppsCommand
{
    public static Command Create()
    {
        var apps = new Command("apps", "Manage apps").With(AppsCreateCommand.Create(), AppsListCommand.Create(), AppsDestroyCommand.Create());
        apps.Aliases.Add("app");
        return apps;
    }
}
