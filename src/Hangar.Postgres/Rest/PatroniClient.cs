using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hangar.Core.Errors;

namespace Hangar.Postgres.Rest;

/// <summary>
/// Typed client for one node's Patroni REST API. The <see cref="HttpClient"/> carries the node's base address
/// (http://host:restport/); reads are anonymous, writes send the REST API basic-auth credentials.
/// Failures of write calls surface as <see cref="HangarException"/> with Patroni's own one-line reason.
/// </summary>
public sealed class PatroniClient
{
    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue _authorization;

    public PatroniClient(HttpClient httpClient, string username, string password)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _http = httpClient;
        _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
    }

    public Uri? BaseAddress => _http.BaseAddress;

    public async Task<PatroniCluster> GetClusterAsync(CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync("cluster", cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        var members = new List<PatroniMember>();
        if (root.TryGetProperty("members", out var array))
        {
            foreach (var m in array.EnumerateArray())
            {
                members.Add(new PatroniMember(
                    Name: GetString(m, "name") ?? "",
                    Role: PatroniRoles.Normalize(GetString(m, "role") ?? ""),
                    State: GetString(m, "state") ?? "",
                    Host: GetString(m, "host"),
                    Port: GetInt(m, "port"),
                    Timeline: GetInt(m, "timeline"),
                    LagBytes: m.TryGetProperty("lag", out var lag) && lag.ValueKind == JsonValueKind.Number ? lag.GetInt64() : null,
                    PendingRestart: GetBool(m, "pending_restart"),
                    ApiUrl: GetString(m, "api_url") is { } api && Uri.TryCreate(api, UriKind.Absolute, out var uri) ? uri : null));
            }
        }

        return new PatroniCluster(GetString(root, "scope"), members, GetBool(root, "pause"));
    }

    public async Task<PatroniNodeStatus> GetNodeAsync(CancellationToken cancellationToken)
    {
        // /patroni answers 503 with the same body when PostgreSQL is down; the body is what we want.
        using var document = await GetJsonAsync("patroni", cancellationToken, acceptUnavailable: true).ConfigureAwait(false);
        var root = document.RootElement;
        var replication = new List<PatroniReplication>();
        if (root.TryGetProperty("replication", out var rows) && rows.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in rows.EnumerateArray())
            {
                replication.Add(new PatroniReplication(GetString(r, "application_name"), GetString(r, "client_addr"), GetString(r, "state"), GetString(r, "sync_state")));
            }
        }

        string? version = null;
        string? scope = null;
        if (root.TryGetProperty("patroni", out var patroni))
        {
            version = GetString(patroni, "version");
            scope = GetString(patroni, "scope");
        }

        return new PatroniNodeStatus(
            State: GetString(root, "state") ?? "unknown",
            Role: PatroniRoles.Normalize(GetString(root, "role") ?? "unknown"),
            ServerVersion: GetInt(root, "server_version"),
            Timeline: GetInt(root, "timeline"),
            PendingRestart: GetBool(root, "pending_restart"),
            PatroniVersion: version,
            Scope: scope,
            SystemIdentifier: GetString(root, "database_system_identifier"),
            Replication: replication);
    }

    /// <summary>GET /primary: true when this node is the leader holding the lock and PostgreSQL runs read-write.</summary>
    public Task<bool> IsPrimaryAsync(CancellationToken cancellationToken) => ProbeAsync("primary", cancellationToken);

    /// <summary>GET /replica: true when this node is a running replica (not the leader).</summary>
    public Task<bool> IsReplicaAsync(CancellationToken cancellationToken) => ProbeAsync("replica", cancellationToken);

    /// <summary>GET /health: true when PostgreSQL is up, whatever its role.</summary>
    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => ProbeAsync("health", cancellationToken);

    /// <summary>GET /readiness: true when leader, or a replica that is running and not too far behind.</summary>
    public Task<bool> IsReadyAsync(CancellationToken cancellationToken) => ProbeAsync("readiness", cancellationToken);

    /// <summary>
    /// Planned handover to <paramref name="candidate"/> (or the best replica). With synchronous_mode the
    /// candidate must be the sync standby, otherwise Patroni answers 412 and we throw FailedPrecondition.
    /// </summary>
    public Task<string> SwitchoverAsync(string leader, string? candidate, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["leader"] = leader };
        if (candidate is not null)
        {
            body["candidate"] = candidate;
        }

        return SendAsync(HttpMethod.Post, "switchover", body, cancellationToken);
    }

    /// <summary>Promotes <paramref name="candidate"/> even without a healthy leader (manual failover).</summary>
    public Task<string> FailoverAsync(string candidate, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "failover", new JsonObject { ["candidate"] = candidate }, cancellationToken);

    /// <summary>Restarts PostgreSQL on this node. With <paramref name="onlyIfPending"/> it does nothing unless a parameter change needs it.</summary>
    public Task<string> RestartAsync(bool onlyIfPending, CancellationToken cancellationToken)
    {
        var body = new JsonObject();
        if (onlyIfPending)
        {
            body["restart_pending"] = true;
        }

        return SendAsync(HttpMethod.Post, "restart", body, cancellationToken);
    }

    /// <summary>Patroni re-reads its config file (after <c>NodeDirectory.PrepareAsync</c> rewrote it).</summary>
    public Task<string> ReloadAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "reload", null, cancellationToken);

    /// <summary>Throws this replica's data away and clones it again from the leader.</summary>
    public Task<string> ReinitializeAsync(bool force, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "reinitialize", new JsonObject { ["force"] = force }, cancellationToken);

    /// <summary>The dynamic (cluster-wide) configuration stored in etcd.</summary>
    public async Task<JsonObject> GetConfigAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri("config", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(response, text, "config");
        return JsonNode.Parse(text) as JsonObject ?? throw new HangarException(ErrorCodes.Internal, "Patroni returned a non-object config");
    }

    /// <summary>Merges <paramref name="patch"/> into the dynamic configuration (a null value removes a key) and returns the result.</summary>
    public async Task<JsonObject> PatchConfigAsync(JsonObject patch, CancellationToken cancellationToken)
    {
        var text = await SendAsync(HttpMethod.Patch, "config", patch, cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(text) as JsonObject ?? throw new HangarException(ErrorCodes.Internal, "Patroni returned a non-object config");
    }

    /// <summary>
    /// Sets cluster-wide PostgreSQL parameters (null resets one to its default). Patroni reloads every node;
    /// parameters that need a restart show up as pending_restart on the members until <see cref="RestartAsync"/>.
    /// </summary>
    public Task<JsonObject> SetParametersAsync(IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var values = new JsonObject();
        foreach (var (name, value) in parameters)
        {
            values[name] = value;
        }

        return PatchConfigAsync(new JsonObject { ["postgresql"] = new JsonObject { ["parameters"] = values } }, cancellationToken);
    }

    private async Task<bool> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken, bool acceptUnavailable = false)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!(acceptUnavailable && response.StatusCode == HttpStatusCode.ServiceUnavailable))
        {
            ThrowIfFailed(response, text, path);
        }

        return JsonDocument.Parse(text);
    }

    private async Task<string> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = _authorization;
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(response, text, path);
        return text;
    }

    private static void ThrowIfFailed(HttpResponseMessage response, string text, string path)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var code = response.StatusCode switch
        {
            HttpStatusCode.BadRequest => ErrorCodes.InvalidArgument,
            HttpStatusCode.PreconditionFailed => ErrorCodes.FailedPrecondition,
            HttpStatusCode.ServiceUnavailable => ErrorCodes.Unavailable,
            HttpStatusCode.Conflict => ErrorCodes.Conflict,
            _ => ErrorCodes.Internal,
        };
        var reason = text.Trim().ReplaceLineEndings(" ");
        if (reason.Length > 300)
        {
            reason = reason[..300];
        }

        throw new HangarException(code, string.Create(CultureInfo.InvariantCulture, $"patroni {path}: {(int)response.StatusCode} {reason}"));
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static int? GetInt(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : null;

    private static bool GetBool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
