using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Storage.Show;

internal static class StorageShowCommand
{
    public static Command Create()
    {
        var name = StorageArguments.Name();
        return new Command("show", "Show a bucket: objects, bytes, access, shadow, static site documents").With(name).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.GetBucketAsync(context.Get(name), ct), StorageFormat.Show);
            return 0;
        });
    }
}
