using System.Text.Json;
using Hangar.Client.Models;

namespace Hangar.Client;

public sealed partial class HangarClient
{
    public Task<PostgresBackupList> EnablePostgresBackupsAsync(string name, PostgresBackupEnableRequest request, CancellationToken cancellationToken) =>
        SendAsync<PostgresBackupList>(HttpMethod.Post, $"v1/postgres/{Uri.EscapeDataString(name)}/backups/enable", request, cancellationToken);

    public Task DisablePostgresBackupsAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"v1/postgres/{Uri.EscapeDataString(name)}/backups/disable", null, cancellationToken);

    public Task<PostgresBackupStarted> CreatePostgresBackupAsync(string name, PostgresBackupCreateRequest request, CancellationToken cancellationToken) =>
        SendAsync<PostgresBackupStarted>(HttpMethod.Post, $"v1/postgres/{Uri.EscapeDataString(name)}/backups", request, cancellationToken);

    public Task<PostgresBackupList> ListPostgresBackupsAsync(string name, bool deleted, CancellationToken cancellationToken) =>
        GetAsync<PostgresBackupList>($"v1/postgres/{Uri.EscapeDataString(name)}/backups{(deleted ? "?deleted=true" : string.Empty)}", cancellationToken);

    public Task<PostgresCreated> RestorePostgresBackupAsync(string name, PostgresBackupRestoreRequest request, CancellationToken cancellationToken) =>
        SendAsync<PostgresCreated>(HttpMethod.Post, $"v1/postgres/{Uri.EscapeDataString(name)}/backups/restore", request, cancellationToken);

    public Task<PostgresRestorePointInfo> MarkPostgresRestorePointAsync(string name, PostgresBackupMarkRequest request, CancellationToken cancellationToken) =>
        SendAsync<PostgresRestorePointInfo>(HttpMethod.Post, $"v1/postgres/{Uri.EscapeDataString(name)}/backups/marks", request, cancellationToken);

    public Task<PostgresBackupDrill> DrillPostgresBackupAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<PostgresBackupDrill>(HttpMethod.Post, $"v1/postgres/{Uri.EscapeDataString(name)}/backups/drill", null, cancellationToken);
}
