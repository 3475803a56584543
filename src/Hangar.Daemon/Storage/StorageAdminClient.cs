using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangar.Core.Errors;
using Hangar.Daemon.Hosting;
using Hangar.ObjectStore.Admin;

namespace Hangar.Daemon.Storage;

/// <summary>
/// The S3 server's admin API (/_hangar/admin/*), with its own request and answer records. Every call is idempotent,
/// as the reconciler needs. Failures become one-line <see cref="HangarException"/>s that never carry a request body.
/// </summary>
internal sealed class StorageAdminClient(EmbeddedS3 s3) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = s3.CreateAdminHttp();

    public HttpClient Http => _http;

    public async Task<IReadOnlyList<AdminBucketInfo>> ListBucketsAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<AdminBucketInfo>>(HttpMethod.Get, "_hangar/admin/buckets", null, cancellationToken) ?? [];

    /// <summary>Null when the S3 server has no such bucket.</summary>
    public Task<AdminBucketInfo?> GetBucketAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<AdminBucketInfo>(HttpMethod.Get, "_hangar/admin/buckets/" + Uri.EscapeDataString(name), null, cancellationToken);

    public Task<AdminBucketInfo?> PutBucketAsync(string name, AdminBucketRequest request, CancellationToken cancellationToken) =>
        SendAsync<AdminBucketInfo>(HttpMethod.Put, "_hangar/admin/buckets/" + Uri.EscapeDataString(name), request, cancellationToken);

    /// <summary>False when there was no such bucket; a non-empty bucket without <paramref name="force"/> throws.</summary>
    public async Task<bool> DeleteBucketAsync(string name, bool force, CancellationToken cancellationToken) =>
        await SendAsync<JsonElement?>(HttpMethod.Delete, $"_hangar/admin/buckets/{Uri.EscapeDataString(name)}?force={(force ? "true" : "false")}", null, cancellationToken) is not null;

    public async Task<IReadOnlyList<AdminKeyInfo>> ListKeysAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<AdminKeyInfo>>(HttpMethod.Get, "_hangar/admin/keys", null, cancellationToken) ?? [];

    public Task PutKeyAsync(string id, AdminKeyRequest request, CancellationToken cancellationToken) =>
        SendAsync<AdminKeyInfo>(HttpMethod.Put, "_hangar/admin/keys/" + Uri.EscapeDataString(id), request, cancellationToken);

    /// <summary>False when there was no such key.</summary>
    public async Task<bool> DeleteKeyAsync(string id, CancellationToken cancellationToken) =>
        await SendAsync<JsonElement?>(HttpMethod.Delete, "_hangar/admin/keys/" + Uri.EscapeDataString(id), null, cancellationToken) is not null;

    /// <summary>The answer, default on 404; a 204 answers an empty JSON element so deletes can tell "done" from "not there".</summary>
    private async Task<T?> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"the S3 server at {s3.AdminUrl} is not answering ({ex.Message}); see `hangar logs -a s3`");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"the S3 server at {s3.AdminUrl} did not answer {method} {path} in time");
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return default;
            }

            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return typeof(T) == typeof(JsonElement?) ? (T)(object)default(JsonElement) : default;
            }

            if (!response.IsSuccessStatusCode)
            {
                AdminError? error = null;
                try
                {
                    error = await response.Content.ReadFromJsonAsync<AdminError>(Json, cancellationToken);
                }
                catch (JsonException)
                {
                }

                var code = response.StatusCode switch
                {
                    HttpStatusCode.Conflict => ErrorCodes.FailedPrecondition,
                    HttpStatusCode.BadRequest => ErrorCodes.InvalidArgument,
                    _ => ErrorCodes.Unavailable,
                };
                throw new HangarException(code, $"the S3 server refused {method} {path}: {error?.Detail ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }

            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();
}
