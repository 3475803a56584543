using System.Text.Json;
using Hangar.Client.Models;

namespace Hangar.Client;

public sealed partial class HangarClient
{
    public Task<IReadOnlyList<PostgresClusterInfo>> ListPostgresAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<PostgresClusterInfo>>("v1/postgres", cancellationToken);

    public Task<PostgresCreated> CreatePostgresAsync(PostgresCreateRequest request, CancellationToken cancellationToken) =>
        SendAsync<PostgresCreated>(HttpMethod.Post, "v1/postgres", request, cancellationToken);

    public Task<PostgresStatusInfo> PostgresStatusAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<PostgresStatusInfo>($"v1/postgres/{Uri.EscapeDataString(name)}/status", cancellationToken);

    public Task<PostgresConnectInfo> PostgresConnectInfoAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<PostgresConnectInfo>($"v1/postgres/{Uri.EscapeDataString(name)}/connect", cancellationToken);

    public Task<PostgresAttached> AttachPostgresAsync(string name, PostgresAttachRequest request, CancellationToken cancellationToken) =>
        SendAsync<PostgresAttached>(HttpMethod.Post, $"v1/postgres/{Uri.EscapeDataString(name)}/attachments", request, cancellationToken);

    /// <summary>Without <paramref name="variable"/>, the app's only attachment of the cluster.</summary>
    public Task DetachPostgresAsync(string name, string app, string? variable, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"v1/postgres/{Uri.EscapeDataString(name)}/attachments/{Uri.EscapeDataString(app)}"
            + (variable is null ? string.Empty : "?variable=" + Uri.EscapeDataString(variable)), null, cancellationToken);

    public Task<IReadOnlyList<PostgresDatabaseInfo>> ListPostgresDatabasesAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<PostgresDatabaseInfo>>($"v1/postgres/{Uri.EscapeDataString(name)}/databases", cancellationToken);

    public Task CreatePostgresDatabaseAsync(string name, string database, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"v1/postgres/{Uri.EscapeDataString(name)}/databases", new PostgresDatabaseCreateRequest(database), cancellationToken);

    public Task<IReadOnlyList<PostgresUserInfo>> ListPostgresUsersAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<PostgresUserInfo>>($"v1/postgres/{Uri.EscapeDataString(name)}/users", cancellationToken);

    public Task<PostgresFailoverResult> FailoverPostgresAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<PostgresFailoverResult>(HttpMethod.Post, $"v1/postgres/{Uri.EscapeDataString(name)}/failover", null, cancellationToken);

    public Task<PostgresRestartResult> RestartPostgresAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<PostgresRestartResult>(HttpMethod.Post, $"v1/postgres/{Uri.EscapeDataString(name)}/restart", null, cancellationToken);

    public Task<PostgresConfigInfo> PostgresConfigAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<PostgresConfigInfo>($"v1/postgres/{Uri.EscapeDataString(name)}/config", cancellationToken);

    public Task<PostgresConfigInfo> UpdatePostgresConfigAsync(string name, PostgresConfigUpdateRequest request, CancellationToken cancellationToken) =>
        SendAsync<PostgresConfigInfo>(HttpMethod.Post, $"v1/postgres/{Uri.EscapeDataString(name)}/config", request, cancellationToken);

    public Task<PostgresStatusInfo> ScalePostgresAsync(string name, int count, CancellationToken cancellationToken) =>
        SendAsync<PostgresStatusInfo>(HttpMethod.Post, $"v1/postgres/{Uri.EscapeDataString(name)}/scale", new PostgresScaleRequest(count), cancellationToken);

    public Task DestroyPostgresAsync(string name, bool force, bool purgeBackups, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"v1/postgres/{Uri.EscapeDataString(name)}?force={(force ? "true" : "false")}&purgeBackups={(purgeBackups ? "true" : "false")}", null, cancellationToken);

    public Task<PostgresUserCreated> CreatePostgresUserAsync(string name, PostgresUserCreateRequest request, CancellationToken cancellationToken) =>
        SendAsync<PostgresUserCreated>(HttpMethod.Post, $"v1/postgres/{Uri.EscapeDataString(name)}/users", request, cancellationToken);

    public Task SetPostgresUserRoleAsync(string name, string user, string role, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Put, $"v1/postgres/{Uri.EscapeDataString(name)}/users/{Uri.EscapeDataString(user)}/role", new PostgresUserRoleRequest(role), cancellationToken);

    public Task DeletePostgresUserAsync(string name, string user, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"v1/postgres/{Uri.EscapeDataString(name)}/users/{Uri.EscapeDataString(user)}", null, cancellationToken);

    public Task<IReadOnlyList<PostgresExtensionInfo>> ListPostgresExtensionsAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<PostgresExtensionInfo>>($"v1/postgres/{Uri.EscapeDataString(name)}/extensions", cancellationToken);
}
