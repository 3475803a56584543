using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Storage;

internal static class StorageFormat
{
    public static void Created(StorageCreated created)
    {
        var b = created.Bucket;
        Output.Line($"Bucket {b.Name} created ({(b.Public ? "public" : "private")}{(b.Shadow is { } s ? $", shadowing s3://{s.Bucket} at {s.Endpoint}" : string.Empty)}).");
        if (created.Credentials is not { } c)
        {
            Output.Line($"Secrets set on app {b.App}: BUCKET_NAME, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_S3, AWS_REGION");
            return;
        }

        Output.Line(string.Empty);
        Output.Line("Credentials (shown once; set them on an app as secrets):");
        Output.Line($"  BUCKET_NAME={c.BucketName}");
        Output.Line($"  AWS_ACCESS_KEY_ID={c.AccessKeyId}");
        Output.Line($"  AWS_SECRET_ACCESS_KEY={c.SecretAccessKey}");
        Output.Line($"  AWS_ENDPOINT_URL_S3={c.EndpointUrl}");
        Output.Line($"  AWS_REGION={c.Region}");
    }

    public static void Table(IReadOnlyList<BucketInfo> all) =>
        Output.Table(["name", "state", "access", "objects", "size", "app", "shadow", "created"],
            all.Select(b => new[]
            {
                b.Name, b.Managed ? b.State : $"{b.State} (owner key {b.OwnerKeyId})", b.Public ? "public" : "private",
                b.Objects?.ToString() ?? "?", b.Bytes is { } bytes ? Output.Bytes(bytes) : "?", b.App ?? "-",
                b.Shadow is { } s ? "s3://" + s.Bucket : "-", Output.Ago(b.CreatedAt),
            }));

    public static void Show(BucketInfo b) => Output.Fields(
        ("Name", b.Name),
        ("State", b.Error is { } error ? $"{b.State}: {error}" : b.State),
        ("Access", b.Public ? "public (anonymous reads allowed)" : "private"),
        ("Objects", b.Objects?.ToString() ?? "? (S3 server not answering)"),
        ("Size", b.Bytes is { } bytes ? Output.Bytes(bytes) : "?"),
        ("App", b.App ?? "-"),
        ("Access key", b.AccessKeyId ?? (b.OwnerKeyId is { } owner ? "owner key " + owner : "-")),
        ("Shadow", b.Shadow is { } s ? $"s3://{s.Bucket} at {s.Endpoint} (key {s.AccessKey}{(s.WriteThrough ? ", write-through" : string.Empty)})" : "-"),
        ("Index document", b.IndexDocument ?? "-"),
        ("Error document", b.ErrorDocument ?? "-"),
        ("Created", $"{b.CreatedAt:u} ({Output.Ago(b.CreatedAt)})"));

    public static void KeyCreated(StorageKeyCreated created)
    {
        var k = created.Key;
        Output.Line($"Access key {k.Id} created ({(k.Buckets.Count == 0 ? "owner key: may create buckets" : "buckets " + string.Join(", ", k.Buckets))}{(k.ReadOnly ? ", read-only" : string.Empty)}).");
        Output.Line(string.Empty);
        Output.Line("Credentials (shown once):");
        Output.Line($"  AWS_ACCESS_KEY_ID={k.Id}");
        Output.Line($"  AWS_SECRET_ACCESS_KEY={created.SecretAccessKey}");
        Output.Line($"  AWS_ENDPOINT_URL_S3={created.EndpointUrl}");
        Output.Line($"  AWS_REGION={created.Region}");
    }

    public static void Keys(IReadOnlyList<StorageKeyInfo> all) =>
        Output.Table(["id", "buckets", "access", "state", "created with", "created"],
            all.Select(k => new[]
            {
                k.Id, k.Buckets.Count == 0 ? "(owner key)" : string.Join(",", k.Buckets), k.ReadOnly ? "read-only" : "read-write",
                k.State, k.CreatedWith ?? "-", Output.Ago(k.CreatedAt),
            }));
}
