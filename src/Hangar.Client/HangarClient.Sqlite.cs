using Hangar.Client.Models;

namespace Hangar.Client;

public sealed partial class HangarClient
{
    public Task<SqliteInfo> ReplicateSqliteAsync(SqliteReplicateRequest request, CancellationToken cancellationToken) =>
        SendAsync<SqliteInfo>(HttpMethod.Post, "v1/sqlite", request, cancellationToken);

    public Task<IReadOnlyList<SqliteInfo>> ListSqliteAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<SqliteInfo>>("v1/sqlite", cancellationToken);

    public Task<SqliteStatusInfo> SqliteStatusAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<SqliteStatusInfo>($"v1/sqlite/{Uri.EscapeDataString(name)}/status", cancellationToken);

    public Task<SqliteInfo> StopSqliteAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<SqliteInfo>(HttpMethod.Post, $"v1/sqlite/{Uri.EscapeDataString(name)}/stop", null, cancellationToken);

    public Task<SqliteRestored> RestoreSqliteAsync(string name, SqliteRestoreRequest request, CancellationToken cancellationToken) =>
        SendAsync<SqliteRestored>(HttpMethod.Post, $"v1/sqlite/{Uri.EscapeDataString(name)}/restore", request, cancellationToken);

    public Task<SqliteDrillResult> DrillSqliteAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<SqliteDrillResult>(HttpMethod.Post, $"v1/sqlite/{Uri.EscapeDataString(name)}/drill", null, cancellationToken);

    public Task<SqliteConfigInfo> SqliteConfigAsync(string app, CancellationToken cancellationToken) =>
        GetAsync<SqliteConfigInfo>($"v1/sqlite-config/{Uri.EscapeDataString(app)}", cancellationToken);

    public Task<SqliteExecPlan> SqliteExecPlanAsync(string name, string app, CancellationToken cancellationToken) =>
        GetAsync<SqliteExecPlan>($"v1/sqlite/{Uri.EscapeDataString(name)}/exec?app={Uri.EscapeDataString(app)}", cancellationToken);
}
