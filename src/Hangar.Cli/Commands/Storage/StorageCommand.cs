using System.CommandLine;
using Hangar.Cli.Commands.Storage.Create;
using Hangar.Cli.Commands.Storage.Destroy;
using Hangar.Cli.Commands.Storage.Keys;
using Hangar.Cli.Commands.Storage.List;
using Hangar.Cli.Commands.Storage.Show;
using Hangar.Cli.Commands.Storage.Update;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Storage;

/// <summary>`hangar storage ...`: flyctl's `fly storage` verbs over Hangar's own S3 server.</summary>
internal static class StorageCommand
{
    public static Command Create() =>
        new Command("storage", "Manage object storage buckets and their access keys (S3 API)")
            .With(StorageCreateCommand.Create(), StorageListCommand.Create(), StorageShowCommand.Create(), StorageUpdateCommand.Create(),
                StorageDestroyCommand.Create(), StorageKeysCommand.Create(), Dashboard.StorageDashboardCommand.Create());
}
