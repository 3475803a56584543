using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;
using Hangar.Core.Errors;

namespace Hangar.Cli.Commands.Storage.Update;

internal static class StorageUpdateCommand
{
    public static Command Create()
    {
        var name = StorageArguments.Name();
        var isPublic = new Option<bool>("--public") { Description = "Objects can be read without credentials" };
        var isPrivate = new Option<bool>("--private") { Description = "Objects need credentials" };
        var index = new Option<string>("--index-document") { Description = "Served for a directory (static site), e.g. index.html; \"\" removes it" };
        var error = new Option<string>("--error-document") { Description = "Served for a missing key (static site), e.g. 404.html; \"\" removes it" };
        return new Command("update", "Change a bucket's access or static site documents").With(name, isPublic, isPrivate, index, error).Runs(async (context, ct) =>
        {
            bool? access = (context.Get(isPublic), context.Get(isPrivate)) switch
            {
                (true, true) => throw HangarException.Invalid("--public and --private cannot go together"),
                (true, false) => true,
                (false, true) => false,
                _ => null,
            };
            var updated = await context.Client.UpdateBucketAsync(context.Get(name), new StorageUpdateRequest(access, context.Get(index), context.Get(error)), ct);
            context.Out.Write(updated, b => Output.Line($"Bucket {b.Name} updated: {(b.Public ? "public" : "private")}, index document {b.IndexDocument ?? "-"}, error document {b.ErrorDocument ?? "-"}"));
            return 0;
        });
    }
}
