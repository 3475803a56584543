using System.Globalization;
using System.Text;
using Hangar.ObjectStore.Auth;
using Hangar.ObjectStore.Objects;
using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Http;

internal sealed partial class S3Handler
{
    private const int MaxListKeys = 1000;

    private async Task ListObjectsAsync(S3Request s3, bool v2)
    {
        var q = s3.Target;
        var prefix = q.Get("prefix") ?? "";
        var delimiter = q.Get("delimiter") ?? "";
        var urlEncode = q.Get("encoding-type") == "url";
        // Parameters that are not UTF-8 match no key (keys are UTF-8) and are echoed as the bytes sent.
        var rawPrefix = NotUtf8(q, "prefix");
        var rawDelimiter = NotUtf8(q, "delimiter");
        var rawMarker = NotUtf8(q, v2 ? "start-after" : "marker");
        if (rawDelimiter is not null)
        {
            delimiter = "";
        }
        if (q.Get("encoding-type") is { } enc && enc != "url")
        {
            await s3.ErrorAsync("InvalidArgument", "Invalid Encoding Method specified in Request");
            return;
        }
        var maxKeys = MaxListKeys;
        if (q.Get("max-keys") is { } mk && (!int.TryParse(mk, NumberStyles.None, CultureInfo.InvariantCulture, out maxKeys) || maxKeys < 0))
        {
            await s3.ErrorAsync("InvalidArgument", "Provided max-keys not an integer or within integer range");
            return;
        }
        maxKeys = Math.Min(maxKeys, MaxListKeys);
        var continuation = v2 ? q.Get("continuation-token") : null;
        var marker = v2 ? q.Get("start-after") : q.Get("marker");
        byte[] from;
        bool exclusive;
        string? resumeAfter = null;
        // An empty continuation-token is no token: S3 lists from the start and echoes it back.
        if (!string.IsNullOrEmpty(continuation))
        {
            if (!TryDecodeToken(continuation, out var kind, out var position))
            {
                await s3.ErrorAsync("InvalidArgument", "The continuation token provided is incorrect");
                return;
            }
            resumeAfter = position;
            (from, exclusive) = kind == 'p' ? (KeyOrder.PrefixUpperBound(Encoding.UTF8.GetBytes(position)) ?? [0xFF, 0xFF, 0xFF, 0xFF], false) : (Encoding.UTF8.GetBytes(position), true);
        }
        else if (rawMarker is not null)
        {
            (from, exclusive) = (rawMarker, true);
        }
        else if (!string.IsNullOrEmpty(marker))
        {
            resumeAfter = marker;
            (from, exclusive) = delimiter.Length > 0 && marker.EndsWith(delimiter, StringComparison.Ordinal) && marker.StartsWith(prefix, StringComparison.Ordinal)
                ? (KeyOrder.PrefixUpperBound(Encoding.UTF8.GetBytes(marker)) ?? [0xFF, 0xFF, 0xFF, 0xFF], false)
                : (Encoding.UTF8.GetBytes(marker), true);
        }
        else
        {
            (from, exclusive) = (Encoding.UTF8.GetBytes(prefix), false);
        }
        var prefixBytes = Encoding.UTF8.GetBytes(prefix);
        if (from.AsSpan().SequenceCompareTo(prefixBytes) < 0)
        {
            (from, exclusive) = (prefixBytes, false);
        }
        var (entries, truncated) = rawPrefix is null ? ListLocal(s3.Store!.Index, prefix, delimiter, from, exclusive, maxKeys) : ([], false);
        if (s3.Bucket!.Shadow is { } upstream && maxKeys > 0 && rawPrefix is null)
        {
            var (remote, remoteTruncated) = await shadow.ListAsync(upstream, prefix, delimiter, resumeAfter, maxKeys, s3.Aborted);
            var merged = new SortedDictionary<string, ListEntry>(KeyOrder.Comparer);
            foreach (var e in remote)
            {
                if (resumeAfter is null || KeyOrder.Compare(e.Key, resumeAfter) > 0)
                {
                    merged[e.Key] = e;
                }
            }
            foreach (var e in entries)
            {
                merged[e.Key] = e;
            }
            truncated = truncated || remoteTruncated || merged.Count > maxKeys;
            entries = merged.Values.Take(maxKeys).ToList();
        }

        string Enc(string value) => urlEncode ? UriEncoding.Encode(value, keepSlash: true) : value;
        string Echo(byte[]? raw, string value) => urlEncode && raw is not null ? UriEncoding.EncodeBytes(raw, keepSlash: true) : Enc(value);
        var sb = Xml.Start("ListBucketResult");
        // V1 returns Prefix as given even with encoding-type=url, and clients (botocore) decode it only for V2.
        sb.Element("Name", s3.Bucket.Name).Element("Prefix", v2 || rawPrefix is not null ? Echo(rawPrefix, prefix) : prefix);
        if (v2)
        {
            if (continuation is not null)
            {
                sb.Element("ContinuationToken", continuation);
            }
            if (marker is not null)
            {
                sb.Element("StartAfter", Echo(rawMarker, marker));
            }
            sb.Element("KeyCount", entries.Count);
        }
        else
        {
            sb.Element("Marker", Echo(rawMarker, marker ?? ""));
        }
        sb.Element("MaxKeys", maxKeys);
        if (delimiter.Length > 0 || rawDelimiter is not null)
        {
            sb.Element("Delimiter", Echo(rawDelimiter, q.Get("delimiter")!));
        }
        if (urlEncode)
        {
            sb.Element("EncodingType", "url");
        }
        sb.Element("IsTruncated", truncated);
        if (truncated && entries.Count > 0)
        {
            var last = entries[^1];
            if (v2)
            {
                sb.Element("NextContinuationToken", EncodeToken(last.IsPrefix ? 'p' : 'k', last.Key));
            }
            else
            {
                sb.Element("NextMarker", Enc(last.Key));
            }
        }
        foreach (var e in entries)
        {
            if (e.Object is { } o)
            {
                sb.Append("<Contents>").Element("Key", Enc(o.Key)).Element("LastModified", Xml.Timestamp(o.Modified))
                    .Element("ETag", Quote(o.ETag)).Element("Size", o.Size).Element("StorageClass", "STANDARD");
                if (!v2 || q.Get("fetch-owner") == "true")
                {
                    AppendOwner(sb, s3, o.Headers);
                }
                sb.Append("</Contents>");
            }
        }
        foreach (var e in entries.Where(e => e.IsPrefix))
        {
            sb.Append("<CommonPrefixes>").Element("Prefix", Enc(e.Key)).Append("</CommonPrefixes>");
        }
        sb.Append("</ListBucketResult>");
        await Xml.WriteAsync(s3.Context, sb);
    }

    private static byte[]? NotUtf8(RequestTarget q, string name) =>
        q.GetBytes(name) is { } bytes && !System.Text.Unicode.Utf8.IsValid(bytes) ? bytes : null;

    /// <summary>
    /// Walks the index from <paramref name="from"/> in key order. A key containing the delimiter after
    /// the prefix becomes a CommonPrefix, and the scan jumps past everything under it instead of reading it.
    /// </summary>
    private static (List<ListEntry> Entries, bool Truncated) ListLocal(BucketIndex index, string prefix, string delimiter, byte[] from, bool exclusive, int maxKeys)
    {
        var entries = new List<ListEntry>();
        if (maxKeys == 0)
        {
            // S3 answers max-keys=0 with an empty page that is not truncated.
            return (entries, false);
        }
        var upper = KeyOrder.PrefixUpperBound(Encoding.UTF8.GetBytes(prefix));
        if (prefix.Length == 0)
        {
            upper = null;
        }
        while (true)
        {
            var batch = index.ListLatest(from, exclusive, upper, Math.Max(maxKeys + 1, 100));
            if (batch.Count == 0)
            {
                return (entries, false);
            }
            var jumped = false;
            foreach (var row in batch)
            {
                var d = delimiter.Length == 0 ? -1 : row.Key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                if (entries.Count == maxKeys)
                {
                    return (entries, true);
                }
                if (d >= 0)
                {
                    var common = row.Key[..(d + delimiter.Length)];
                    entries.Add(new ListEntry(common, null));
                    var next = KeyOrder.PrefixUpperBound(Encoding.UTF8.GetBytes(common));
                    if (next is null)
                    {
                        return (entries, false);
                    }
                    (from, exclusive) = (next, false);
                    jumped = true;
                    break;
                }
                entries.Add(new ListEntry(row.Key, row));
                (from, exclusive) = (Encoding.UTF8.GetBytes(row.Key), true);
            }
            if (!jumped && batch.Count < Math.Max(maxKeys + 1, 100))
            {
                return (entries, false);
            }
        }
    }

    internal static string EncodeToken(char kind, string position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(kind + position)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static bool TryDecodeToken(string token, out char kind, out string position)
    {
        kind = 'k';
        position = "";
        var b64 = token.Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
        var bytes = new byte[b64.Length];
        if (!Convert.TryFromBase64String(b64, bytes, out var n) || n < 1)
        {
            return false;
        }
        var text = Encoding.UTF8.GetString(bytes, 0, n);
        kind = text[0];
        position = text[1..];
        return kind is 'k' or 'p';
    }

    private async Task ListVersionsAsync(S3Request s3)
    {
        var q = s3.Target;
        var prefix = q.Get("prefix") ?? "";
        var delimiter = q.Get("delimiter") ?? "";
        var urlEncode = q.Get("encoding-type") == "url";
        var maxKeys = int.TryParse(q.Get("max-keys"), NumberStyles.None, CultureInfo.InvariantCulture, out var mk) ? Math.Min(mk, MaxListKeys) : MaxListKeys;
        var keyMarker = q.Get("key-marker") ?? "";
        var versionMarker = q.Get("version-id-marker");
        var prefixBytes = Encoding.UTF8.GetBytes(prefix);
        var upper = prefix.Length == 0 ? null : KeyOrder.PrefixUpperBound(prefixBytes);
        byte[] from = prefixBytes;
        long? afterSeq = null;
        var exclusiveKey = false;
        if (keyMarker.Length > 0 && KeyOrder.Compare(keyMarker, prefix) >= 0)
        {
            from = Encoding.UTF8.GetBytes(keyMarker);
            exclusiveKey = true;
            if (!string.IsNullOrEmpty(versionMarker) && s3.Store!.Index.GetVersion(keyMarker, versionMarker) is { } mv)
            {
                afterSeq = mv.Seq;
            }
        }
        var rows = s3.Store!.Index.ListVersions(from, afterSeq, exclusiveKey, upper, maxKeys + 1);
        var truncated = maxKeys > 0 && rows.Count > maxKeys;
        var page = rows.Take(maxKeys).ToList();
        var prefixes = new SortedSet<string>(KeyOrder.Comparer);
        string Enc(string value) => urlEncode ? UriEncoding.Encode(value, keepSlash: true) : value;
        var sb = Xml.Start("ListVersionsResult");
        sb.Element("Name", s3.Bucket!.Name).Element("Prefix", Enc(prefix)).Element("KeyMarker", Enc(keyMarker))
            .Element("VersionIdMarker", versionMarker ?? "").Element("MaxKeys", maxKeys);
        if (delimiter.Length > 0)
        {
            sb.Element("Delimiter", Enc(delimiter));
        }
        if (urlEncode)
        {
            sb.Element("EncodingType", "url");
        }
        sb.Element("IsTruncated", truncated);
        if (truncated && page.Count > 0)
        {
            sb.Element("NextKeyMarker", Enc(page[^1].Key)).Element("NextVersionIdMarker", page[^1].VersionId);
        }
        foreach (var v in page)
        {
            var d = delimiter.Length == 0 ? -1 : v.Key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            if (d >= 0)
            {
                prefixes.Add(v.Key[..(d + delimiter.Length)]);
                continue;
            }
            var element = v.DeleteMarker ? "DeleteMarker" : "Version";
            sb.Append('<').Append(element).Append('>').Element("Key", Enc(v.Key)).Element("VersionId", v.VersionId)
                .Element("IsLatest", v.IsLatest).Element("LastModified", Xml.Timestamp(v.Modified));
            if (!v.DeleteMarker)
            {
                sb.Element("ETag", Quote(v.ETag)).Element("Size", v.Size).Element("StorageClass", "STANDARD");
            }
            AppendOwner(sb, s3, v.Headers);
            sb.Append("</").Append(element).Append('>');
        }
        foreach (var p in prefixes)
        {
            sb.Append("<CommonPrefixes>").Element("Prefix", Enc(p)).Append("</CommonPrefixes>");
        }
        sb.Append("</ListVersionsResult>");
        await Xml.WriteAsync(s3.Context, sb);
    }
}
