using System.CommandLine;
using Hangar.Cli.Commands.Mpg.Config.Show;
using Hangar.Cli.Commands.Mpg.Config.Update;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Mpg.Config;

internal static class MpgConfigCommand
{
    public static Command Create() =>
        new Command("config", "Show or change a managed cluster's Postgres settings and pool").With(MpgConfigShowCommand.Create(), MpgConfigUpdateCommand.Create());
}
