using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Storage.Destroy;

internal static class StorageDestroyCommand
{
    public static Command Create()
    {
        var name = StorageArguments.Name();
        var force = new Option<bool>("--force") { Description = "Destroy even when the bucket holds objects: they are deleted" };
        return new Command("destroy", "Destroy a bucket, its keys and its secrets on the app").With(name, force, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            var bucket = context.Get(name);
            context.Confirm(context.Get(GlobalOptions.Yes), $"Destroy bucket {bucket}?", $"not destroying bucket {bucket} without confirmation");
            await context.Client.DestroyBucketAsync(bucket, context.Get(force), ct);
            context.Out.Write(new { destroyed = bucket }, _ => Output.Line($"Destroyed bucket {bucket}"));
            return 0;
        });
    }
}
