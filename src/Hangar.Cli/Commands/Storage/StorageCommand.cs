using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;
using Hangar.Core.Errors;

namespace Hangar.Cli.Commands.Storage;

/// <summary>`hangar storage ...`: flyctl's `fly storage` verbs over Hangar's own S3 server.</summary>
internal static class StorageCommand
{
    public static Command Create() =>
        new Command("storage", "Manage object storage buckets and their access keys (S3 API)")
            .With(CreateCommand(), List(), Show(), Update(), Destroy(), Keys());

    private static Command CreateCommand()
    {
        var name = new Option<string>("--name", "-n") { Description = "Bucket name (default: generated)" };
        var app = GlobalOptions.App(required: false);
        app.Description = "App that gets BUCKET_NAME and AWS_* as secrets (without it the credentials are printed once)";
        var isPublic = new Option<bool>("--public") { Description = "Objects can be read without credentials" };
        var shadowBucket = new Option<string>("--shadow-bucket") { Description = "s3://BUCKET to read through to (migration from another S3 service)" };
        var shadowEndpoint = new Option<string>("--shadow-endpoint") { Description = "URL of the shadow bucket's S3 service" };
        var shadowAccessKey = new Option<string>("--shadow-access-key") { Description = "Access key id for the shadow bucket" };
        var shadowSecretKey = new Option<string>("--shadow-secret-key") { Description = "Secret access key for the shadow bucket" };
        var shadowRegion = new Option<string>("--shadow-region") { Description = "Region of the shadow bucket" };
        var writeThrough = new Option<bool>("--shadow-write-through") { Description = "Also write new objects to the shadow bucket" };
        return new Command("create", "Create a bucket and an access key scoped to it")
            .With(name, app, isPublic, shadowBucket, shadowEndpoint, shadowAccessKey, shadowSecretKey, shadowRegion, writeThrough)
            .Runs(async (context, ct) =>
            {
                var created = await context.Client.CreateBucketAsync(new StorageCreateRequest
                {
                    Name = context.Get(name),
                    App = context.Get(app),
                    Public = context.Get(isPublic),
                    ShadowBucket = context.Get(shadowBucket),
                    ShadowEndpoint = context.Get(shadowEndpoint),
                    ShadowAccessKey = context.Get(shadowAccessKey),
                    ShadowSecretKey = context.Get(shadowSecretKey),
                    ShadowRegion = context.Get(shadowRegion),
                    ShadowWriteThrough = context.Get(writeThrough),
                }, ct);
                context.Out.Write(created, StorageFormat.Created);
                return 0;
            });
    }

    private static Command List()
    {
        var list = new Command("list", "List buckets").Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListBucketsAsync(ct), StorageFormat.Table);
            return 0;
        });
        list.Aliases.Add("ls");
        return list;
    }

    private static Command Show()
    {
        var name = NameArgument();
        return new Command("show", "Show a bucket: objects, bytes, access, shadow, static site documents").With(name).Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.GetBucketAsync(context.Get(name), ct), StorageFormat.Show);
            return 0;
        });
    }

    private static Command Update()
    {
        var name = NameArgument();
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

    private static Command Destroy()
    {
        var name = NameArgument();
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

    private static Command Keys()
    {
        var buckets = new Option<string[]>("--bucket", "-b") { Description = "Bucket the key may use (repeat for more); none makes an owner key that may create buckets", AllowMultipleArgumentsPerToken = false };
        var readOnly = new Option<bool>("--read-only") { Description = "Reads only" };
        var create = new Command("create", "Create an access key pair (the secret is shown once)").With(buckets, readOnly).Runs(async (context, ct) =>
        {
            var created = await context.Client.CreateStorageKeyAsync(new StorageKeyCreateRequest(context.Get(buckets) ?? [], context.Get(readOnly)), ct);
            context.Out.Write(created, StorageFormat.KeyCreated);
            return 0;
        });

        var list = new Command("list", "List access keys (never their secrets)").Runs(async (context, ct) =>
        {
            context.Out.Write(await context.Client.ListStorageKeysAsync(ct), StorageFormat.Keys);
            return 0;
        });
        list.Aliases.Add("ls");

        var id = new Argument<string>("id") { Description = "Access key id" };
        var revoke = new Command("revoke", "Revoke an access key: the S3 server refuses it from now on").With(id).Runs(async (context, ct) =>
        {
            var key = context.Get(id);
            await context.Client.RevokeStorageKeyAsync(key, ct);
            context.Out.Write(new { revoked = key }, _ => Output.Line($"Revoked key {key}"));
            return 0;
        });

        return new Command("keys", "Manage S3 access keys").With(create, list, revoke);
    }

    private static Argument<string> NameArgument() => new("name") { Description = "Bucket name" };
}
