using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Storage.Keys.Revoke;

internal static class StorageKeysRevokeCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "Access key id" };
        return new Command("revoke", "Revoke an access key: the S3 server refuses it from now on").With(id).Runs(async (context, ct) =>
        {
            var key = context.Get(id);
            await context.Client.RevokeStorageKeyAsync(key, ct);
            context.Out.Write(new { revoked = key }, _ => Output.Line($"Revoked key {key}"));
            return 0;
        });
    }
}
