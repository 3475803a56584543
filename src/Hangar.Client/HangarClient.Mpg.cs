using System.Text.Json;
using Hangar.Client.Models;

namespace Hangar.Client;

public sealed partial class HangarClient
{
    public Task<IReadOnlyList<MpgInfo>> ListMpgAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<MpgInfo>>("v1/mpg", cancellationToken);

    public Task<MpgCreated> CreateMpgAsync(MpgCreateRequest request, CancellationToken cancellationToken) =>
        SendAsync<MpgCreated>(HttpMethod.Post, "v1/mpg", request, cancellationToken);

    public Task<MpgStatusInfo> MpgStatusAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<MpgStatusInfo>($"v1/mpg/{Uri.EscapeDataString(name)}/status", cancellationToken);

    public Task<PostgresConnectInfo> MpgConnectInfoAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<PostgresConnectInfo>($"v1/mpg/{Uri.EscapeDataString(name)}/connect", cancellationToken);

    public Task<PostgresAttached> AttachMpgAsync(string name, MpgAttachRequest request, CancellationToken cancellationToken) =>
        SendAsync<PostgresAttached>(HttpMethod.Post, $"v1/mpg/{Uri.EscapeDataString(name)}/attachments", request, cancellationToken);

    public Task DetachMpgAsync(string name, string app, string? variable, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"v1/mpg/{Uri.EscapeDataString(name)}/attachments/{Uri.EscapeDataString(app)}"
            + (variable is null ? string.Empty : "?variable=" + Uri.EscapeDataString(variable)), null, cancellationToken);

    public Task<MpgConfigInfo> MpgConfigAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<MpgConfigInfo>($"v1/mpg/{Uri.EscapeDataString(name)}/config", cancellationToken);

    public Task<MpgConfigInfo> UpdateMpgConfigAsync(string name, MpgConfigUpdateRequest request, CancellationToken cancellationToken) =>
        SendAsync<MpgConfigInfo>(HttpMethod.Post, $"v1/mpg/{Uri.EscapeDataString(name)}/config", request, cancellationToken);

    public Task<PostgresFailoverResult> FailoverMpgAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<PostgresFailoverResult>(HttpMethod.Post, $"v1/mpg/{Uri.EscapeDataString(name)}/failover", null, cancellationToken);

    public Task<MpgCreated> RestoreMpgAsync(string name, MpgRestoreRequest request, CancellationToken cancellationToken) =>
        SendAsync<MpgCreated>(HttpMethod.Post, $"v1/mpg/{Uri.EscapeDataString(name)}/restore", request, cancellationToken);

    public Task DestroyMpgAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"v1/mpg/{Uri.EscapeDataString(name)}", null, cancellationToken);
}
