using System.Text.Json;
using Hangar.Client.Models;

namespace Hangar.Client;

public sealed partial class HangarClient
{
    public Task<IReadOnlyList<RedisInstanceInfo>> ListRedisAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<RedisInstanceInfo>>("v1/redis", cancellationToken);

    public Task<RedisCreated> CreateRedisAsync(RedisCreateRequest request, CancellationToken cancellationToken) =>
        SendAsync<RedisCreated>(HttpMethod.Post, "v1/redis", request, cancellationToken);

    public Task<RedisStatusInfo> RedisStatusAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<RedisStatusInfo>($"v1/redis/{Uri.EscapeDataString(name)}/status", cancellationToken);

    public Task<RedisCredentials> RedisCredentialsAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<RedisCredentials>($"v1/redis/{Uri.EscapeDataString(name)}/credentials", cancellationToken);

    public Task<RedisInstanceInfo> UpdateRedisAsync(string name, RedisUpdateRequest request, CancellationToken cancellationToken) =>
        SendAsync<RedisInstanceInfo>(HttpMethod.Post, $"v1/redis/{Uri.EscapeDataString(name)}/update", request, cancellationToken);

    public Task AttachRedisAsync(string name, RedisAttachRequest request, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"v1/redis/{Uri.EscapeDataString(name)}/attachments", request, cancellationToken);

    public Task DetachRedisAsync(string name, string app, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"v1/redis/{Uri.EscapeDataString(name)}/attachments/{Uri.EscapeDataString(app)}", null, cancellationToken);

    public Task DestroyRedisAsync(string name, bool force, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"v1/redis/{Uri.EscapeDataString(name)}?force={(force ? "true" : "false")}", null, cancellationToken);

    /// <summary>Health checks of the resource named <paramref name="name"/> (any kind that has checks).</summary>
    /// <summary>The checks of resource <paramref name="name"/>, or the platform's own when it is null.</summary>
    public Task<IReadOnlyList<CheckInfo>> ListChecksAsync(string? name, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<CheckInfo>>(name is null ? "v1/checks" : $"v1/checks?name={Uri.EscapeDataString(name)}", cancellationToken);
}
