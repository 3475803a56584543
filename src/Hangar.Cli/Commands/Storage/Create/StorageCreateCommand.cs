using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Storage.Create;

internal static class StorageCreateCommand
{
    public static Command Create()
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
}
