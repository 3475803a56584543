using System.CommandLine;
using Hangar.Cli.Commands.Secrets.Import;
using Hangar.Cli.Commands.Secrets.List;
using Hangar.Cli.Commands.Secrets.Set;
using Hangar.Cli.Commands.Secrets.Unset;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Secrets;

internal static class SecretsCommand
{
    public static Command Create() =>
        new Command("secrets", "Manage app secrets").With(SecretsSetCommand.Create(), SecretsImportCommand.Create(), SecretsListCommand.Create(), SecretsUnsetCommand.Create());
}
