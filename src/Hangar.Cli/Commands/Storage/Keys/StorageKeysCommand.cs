using System.CommandLine;
using Hangar.Cli.Commands.Storage.Keys.Create;
using Hangar.Cli.Commands.Storage.Keys.List;
using Hangar.Cli.Commands.Storage.Keys.Revoke;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Storage.Keys;

internal static class StorageKeysCommand
{
    public static Command Create() =>
        new Command("keys", "Manage S3 access keys").With(StorageKeysCreateCommand.Create(), StorageKeysListCommand.Create(), StorageKeysRevokeCommand.Create());
}
