using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Resources;

namespace Hangar.Client;

/// <summary>The typed API client: the CLI's only way to the daemon, and the functional tests' second one.</summary>
public sealed partial class HangarClient : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;

    public HangarClient(ClientConfig config, TimeSpan? timeout = null)
    {
        _http = new HttpClient { BaseAddress = new Uri(config.ApiUrl.TrimEnd('/') + "/"), Timeout = timeout ?? TimeSpan.FromMinutes(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", config.Token);
    }

    public HttpClient Http => _http;

    public Task<StatusInfo> StatusAsync(CancellationToken cancellationToken) => GetAsync<StatusInfo>("v1/status", cancellationToken);

    public Task<CertificateAuthorityInfo> CertificateAuthorityAsync(CancellationToken cancellationToken) => GetAsync<CertificateAuthorityInfo>("v1/certificates/ca", cancellationToken);

    public Task<IReadOnlyList<AppInfo>> ListAppsAsync(CancellationToken cancellationToken) => GetAsync<IReadOnlyList<AppInfo>>("v1/apps", cancellationToken);

    public Task<AppInfo> CreateAppAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<AppInfo>(HttpMethod.Post, "v1/apps", new CreateAppRequest(name), cancellationToken);

    public Task DestroyAppAsync(string name, bool force, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"v1/apps/{Uri.EscapeDataString(name)}?force={(force ? "true" : "false")}", null, cancellationToken);

    public Task<IReadOnlyList<SecretInfo>> ListSecretsAsync(string app, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<SecretInfo>>($"v1/apps/{Uri.EscapeDataString(app)}/secrets", cancellationToken);

    public Task<IReadOnlyList<SecretInfo>> SetSecretsAsync(string app, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<SecretInfo>>(HttpMethod.Post, $"v1/apps/{Uri.EscapeDataString(app)}/secrets", new SetSecretsRequest(values), cancellationToken);

    public Task<IReadOnlyList<SecretInfo>> UnsetSecretsAsync(string app, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<SecretInfo>>(HttpMethod.Post, $"v1/apps/{Uri.EscapeDataString(app)}/secrets/unset", new UnsetSecretsRequest(keys), cancellationToken);

    /// <summary>The decrypted values, for `hangar run`. Only the admin token reaches this.</summary>
    public Task<IReadOnlyDictionary<string, string>> SecretValuesAsync(string app, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyDictionary<string, string>>($"v1/apps/{Uri.EscapeDataString(app)}/secrets/values", cancellationToken);

    public Task<IReadOnlyList<VolumeRecord>> ListVolumesAsync(string? app, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<VolumeRecord>>(app is null ? "v1/volumes" : $"v1/volumes?app={Uri.EscapeDataString(app)}", cancellationToken);

    public Task<VolumeRecord> GetVolumeAsync(string id, CancellationToken cancellationToken) =>
        GetAsync<VolumeRecord>($"v1/volumes/{Uri.EscapeDataString(id)}", cancellationToken);

    public Task<VolumeRecord> CreateVolumeAsync(CreateVolumeRequest request, CancellationToken cancellationToken) =>
        SendAsync<VolumeRecord>(HttpMethod.Post, "v1/volumes", request, cancellationToken);

    public Task<VolumeRecord> ExtendVolumeAsync(string id, int sizeGb, CancellationToken cancellationToken) =>
        SendAsync<VolumeRecord>(HttpMethod.Post, $"v1/volumes/{Uri.EscapeDataString(id)}/extend", new ExtendVolumeRequest(sizeGb), cancellationToken);

    public Task<VolumeRecord> ForkVolumeAsync(string id, string? name, CancellationToken cancellationToken) =>
        SendAsync<VolumeRecord>(HttpMethod.Post, $"v1/volumes/{Uri.EscapeDataString(id)}/fork", new ForkVolumeRequest(name), cancellationToken);

    public Task DestroyVolumeAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"v1/volumes/{Uri.EscapeDataString(id)}", null, cancellationToken);

    public Task<SnapshotRecord> CreateSnapshotAsync(string volumeId, CancellationToken cancellationToken) =>
        SendAsync<SnapshotRecord>(HttpMethod.Post, $"v1/volumes/{Uri.EscapeDataString(volumeId)}/snapshots", null, cancellationToken);

    public Task<IReadOnlyList<SnapshotRecord>> ListSnapshotsAsync(string volumeId, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<SnapshotRecord>>($"v1/volumes/{Uri.EscapeDataString(volumeId)}/snapshots", cancellationToken);

    /// <summary>Log text of the processes of <paramref name="name"/> (or the daemon's own); with follow, a stream that stays open.</summary>
    public async Task<Stream> LogsAsync(string? name, int lines, bool follow, CancellationToken cancellationToken)
    {
        var query = $"v1/logs?lines={lines}&follow={(follow ? "true" : "false")}" + (name is null ? string.Empty : $"&name={Uri.EscapeDataString(name)}");
        var request = new HttpRequestMessage(HttpMethod.Get, query);
        var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent || typeof(T) == typeof(JsonElement) && response.Content.Headers.ContentLength == 0)
        {
            return default!;
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken) ?? throw new HangarApiException(ErrorCodes.Internal, $"empty answer from {path}", 500);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new HangarApiException(ErrorCodes.Unavailable, $"cannot reach the Hangar daemon at {_http.BaseAddress}: {ex.Message} (is `hangar up` running?)", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            ProblemInfo? problem = null;
            try
            {
                problem = await response.Content.ReadFromJsonAsync<ProblemInfo>(Json, cancellationToken);
            }
            catch (JsonException)
            {
            }

            var status = (int)response.StatusCode;
            var code = problem?.Code ?? (status == 401 ? ErrorCodes.Unauthorized : ErrorCodes.Internal);
            var message = problem?.Detail ?? problem?.Title ?? $"the daemon answered {status} {response.ReasonPhrase}";
            throw new HangarApiException(code, message, status);
        }
    }

    public void Dispose() => _http.Dispose();
}
