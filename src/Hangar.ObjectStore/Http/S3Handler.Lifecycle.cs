using System.Globalization;
using Hangar.ObjectStore.Lifecycle;
using Hangar.ObjectStore.Storage;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Http;

internal sealed partial class S3Handler
{
    private Task GetLifecycleAsync(S3Request s3)
    {
        var rules = s3.Bucket!.Lifecycle;
        if (rules.Count == 0)
        {
            return s3.ErrorAsync("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist");
        }
        return Xml.WriteAsync(s3.Context, LifecycleXml.Write(rules));
    }

    private async Task PutLifecycleAsync(S3Request s3)
    {
        var parsed = LifecycleXml.Parse(await ReadXmlBodyAsync(s3));
        if (parsed.Rules is null)
        {
            await s3.ErrorAsync(parsed.ErrorCode!, parsed.ErrorMessage!);
            return;
        }
        var rules = parsed.Rules;
        if (!stores.Catalog.UpdateBucket(s3.Bucket!.Name, b => b with { Lifecycle = rules }))
        {
            await s3.ErrorAsync("NoSuchBucket", "The specified bucket does not exist.");
        }
    }

    private Task DeleteLifecycleAsync(S3Request s3)
    {
        stores.Catalog.UpdateBucket(s3.Bucket!.Name, b => b with { Lifecycle = [] });
        s3.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>x-amz-expiration on GET/HEAD of a current version a rule expires, as S3 sends it.</summary>
    private void AddExpirationHeader(S3Request s3, ObjectVersion version)
    {
        if (!version.IsLatest || s3.Bucket!.Lifecycle.Count == 0)
        {
            return;
        }
        var evaluator = new LifecycleEvaluator(s3.Bucket.Lifecycle, _lifecycleClock, LifecycleTags.Stored);
        if (evaluator.CurrentExpiry(version) is { } due)
        {
            s3.Response.Headers["x-amz-expiration"] = string.Create(CultureInfo.InvariantCulture,
                $"expiry-date=\"{due.At.ToString("R", CultureInfo.InvariantCulture)}\", rule-id=\"{due.RuleId}\"");
        }
    }
}
