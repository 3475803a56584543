using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Storage.Keys.Create;

internal static class StorageKeysCreateCommand
{
    public static Command Create()
    {
        var buckets = new Option<string[]>("--bucket", "-b") { Description = "Bucket the key may use (repeat for more); none makes an owner key that may create buckets", AllowMultipleArgumentsPerToken = false };
        var readOnly = new Option<bool>("--read-only") { Description = "Reads only" };
        return new Command("create", "Create an access key pair (the secret is shown once)").With(buckets, readOnly).Runs(async (context, ct) =>
        {
            var created = await context.Client.CreateStorageKeyAsync(new StorageKeyCreateRequest(context.Get(buckets) ?? [], context.Get(readOnly)), ct);
            context.Out.Write(created, StorageFormat.KeyCreated);
            return 0;
        });
    }
}
