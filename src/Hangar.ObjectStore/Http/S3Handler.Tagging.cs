using Hangar.ObjectStore.Storage;
using Hangar.ObjectStore.Tagging;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Http;

internal sealed partial class S3Handler
{
    private const int MaxTaggingBody = 64 * 1024;

    private async Task GetObjectTaggingAsync(S3Request s3)
    {
        if (await ExistingVersionAsync(s3) is not { } version)
        {
            return;
        }
        SetVersionHeader(s3, version);
        var sb = Xml.Start("Tagging").Append("<TagSet>");
        foreach (var (key, value) in TagSet.Read(version.Headers).Tags)
        {
            sb.Append("<Tag>").Element("Key", key).Element("Value", value).Append("</Tag>");
        }
        sb.Append("</TagSet></Tagging>");
        await Xml.WriteAsync(s3.Context, sb);
    }

    private async Task PutObjectTaggingAsync(S3Request s3)
    {
        if (await ExistingVersionAsync(s3) is not { } version)
        {
            return;
        }
        var body = await ReadSmallBodyAsync(s3, MaxTaggingBody);
        TagSet? tags = null;
        if (body is not null)
        {
            using var stream = new MemoryStream(body);
            tags = TagSet.FromXml(Xml.Load(stream));
        }
        if (tags is null)
        {
            await s3.ErrorAsync("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
            return;
        }
        await ReplaceTagsAsync(s3, version, tags, StatusCodes.Status200OK);
    }

    private async Task DeleteObjectTaggingAsync(S3Request s3)
    {
        if (await ExistingVersionAsync(s3) is not { } version)
        {
            return;
        }
        await ReplaceTagsAsync(s3, version, TagSet.Empty, StatusCodes.Status204NoContent);
    }

    private static async Task ReplaceTagsAsync(S3Request s3, ObjectVersion version, TagSet tags, int status)
    {
        if (tags.Validate() is { } invalid)
        {
            await s3.ErrorAsync(invalid.Code, invalid.Message);
            return;
        }
        if (!await s3.Store!.Index.ReplaceHeadersAsync(version.Key, version.Seq, tags.ApplyTo))
        {
            // Replaced or deleted since it was read: the tags were meant for that version, not its successor.
            await s3.ErrorAsync("OperationAborted", "A conflicting conditional operation is currently in progress against this resource. Please try again.");
            return;
        }
        SetVersionHeader(s3, version);
        s3.Response.StatusCode = status;
    }

    /// <summary>
    /// The tags x-amz-tagging asks for (empty without the header); null after writing S3's error for a
    /// malformed or invalid set.
    /// </summary>
    private static async Task<TagSet?> RequestedTagsAsync(S3Request s3)
    {
        var header = s3.Request.Headers["x-amz-tagging"].ToString();
        if (header.Length == 0)
        {
            return TagSet.Empty;
        }
        if (TagSet.ParseQuery(header) is not { } tags)
        {
            await s3.ErrorAsync("InvalidArgument", "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.");
            return null;
        }
        if (tags.Validate() is { } invalid)
        {
            await s3.ErrorAsync(invalid.Code, invalid.Message);
            return null;
        }
        return tags;
    }

    /// <summary>CopyObject's tags: the source's (x-amz-tagging-directive COPY, the default) or x-amz-tagging's (REPLACE).</summary>
    private static async Task<TagSet?> CopyTagsAsync(S3Request s3, ObjectVersion source)
    {
        var directive = s3.Request.Headers["x-amz-tagging-directive"].ToString();
        switch (directive)
        {
            case "" or "COPY":
                return TagSet.Read(source.Headers);
            case "REPLACE":
                return await RequestedTagsAsync(s3);
            default:
                await s3.ErrorAsync("InvalidArgument", $"Unknown tagging directive '{directive}': use COPY or REPLACE.");
                return null;
        }
    }
}
