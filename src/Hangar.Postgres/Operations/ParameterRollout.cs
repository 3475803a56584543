using System.Text.Json;
using System.Text.Json.Nodes;
using Hangar.Core.Errors;
using Hangar.Postgres.Config;
using Hangar.Postgres.Logging;
using Hangar.Postgres.Rest;
using Hangar.Postgres.Settings;
using Hangar.State;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hangar.Postgres.Operations;

/// <summary>
/// Patroni's dynamic configuration of one cluster: written through any member (or <paramref name="store"/>, etcd, when none answers),
/// read the same way, and followed into each node's pg_settings until every node has taken it.
/// </summary>
public sealed class ParameterRollout(ClusterAccess access, IKeyValueStore store, TimeProvider time, ILogger logger)
{
    /// <summary>How long every node gets to reload a change: Patroni applies it on each node's next loop (1 s).</summary>
    public static readonly TimeSpan AppliedLimit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Sets the parameters through the first member whose Patroni answers (PATCH /config is served by any member,
    /// leader or not: it writes the etcd key), else straight into the etcd key with a compare-and-swap.
    /// </summary>
    public async Task WriteAsync(PatroniCluster? state, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var node in access.MembersLeaderFirst(state))
        {
            try
            {
                await access.Patroni(node).SetParametersAsync(parameters, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or HangarException && !cancellationToken.IsCancellationRequested)
            {
                errors.Add($"{node.Name}: {ex.Message}");
            }
        }

        try
        {
            await PatroniDynamicConfig.SetParametersAsync(store, access.Name, parameters, cancellationToken).ConfigureAwait(false);
            OperationsLog.ConfigWrittenToEtcd(logger, access.Name, string.Join("; ", errors));
        }
        catch (InvalidOperationException ex)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"the configuration of '{access.Name}' could not be stored: {ex.Message} (members: {string.Join("; ", errors)})");
        }
    }

    /// <summary>Patroni's dynamic configuration from the first member that answers, else from etcd itself.</summary>
    public async Task<JsonObject> DynamicConfigAsync(PatroniCluster? state, CancellationToken cancellationToken)
    {
        foreach (var node in access.MembersLeaderFirst(state))
        {
            try
            {
                return await access.Patroni(node).GetConfigAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or HangarException or JsonException && !cancellationToken.IsCancellationRequested)
            {
                // The next member, or etcd.
            }
        }

        return await PatroniDynamicConfig.ReadAsync(store, access.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new HangarException(ErrorCodes.Unavailable, $"postgres cluster '{access.Name}' has no configuration in etcd yet");
    }

    /// <summary>The PostgreSQL parameters of the dynamic configuration, by name.</summary>
    public async Task<SortedDictionary<string, string>> ParametersAsync(PatroniCluster? state, CancellationToken cancellationToken)
    {
        var config = await DynamicConfigAsync(state, cancellationToken).ConfigureAwait(false);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (config["postgresql"]?["parameters"] is JsonObject values)
        {
            foreach (var (key, value) in values)
            {
                parameters[key] = value?.ToString() ?? string.Empty;
            }
        }

        return parameters;
    }

    /// <summary>Polls <see cref="AppliedEverywhereAsync"/> for up to <see cref="AppliedLimit"/>.</summary>
    public async Task<RolloutState> WaitAppliedEverywhereAsync(IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + AppliedLimit;
        var result = new RolloutState(false, []);
        while (!result.Applied && time.GetUtcNow() < deadline)
        {
            result = await AppliedEverywhereAsync(parameters, cancellationToken).ConfigureAwait(false);
            if (!result.Applied)
            {
                await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }

        return result;
    }

    /// <summary>Reads every node's pg_settings for <paramref name="parameters"/> and decides with <see cref="Decide"/>.</summary>
    public async Task<RolloutState> AppliedEverywhereAsync(IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var nodes = new List<NodeSettings?>();
        foreach (var node in access.Cluster.Nodes.OrderBy(n => n.Ordinal))
        {
            nodes.Add(await ReadNodeAsync(node.Name, access.NodeAdminConnectionString(node), parameters.Keys, cancellationToken).ConfigureAwait(false));
        }

        return Decide(parameters, nodes);
    }

    /// <summary>
    /// Clusters created before pg_stat_statements was preloaded get it at their next `postgres restart` (preloading
    /// takes a restart, and this is one): added to the dynamic configuration, next to any library a user set, and
    /// waited for on every node before the rolling restart begins.
    /// </summary>
    public async Task EnsureStatementStatisticsPreloadedAsync(CancellationToken cancellationToken)
    {
        var (state, _) = await access.StateAsync(cancellationToken).ConfigureAwait(false);
        var config = await DynamicConfigAsync(state, cancellationToken).ConfigureAwait(false);
        var libraries = (config["postgresql"]?["parameters"]?[PatroniConfig.StatementStatisticsParameter]?.ToString() ?? string.Empty)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (libraries.Contains(PatroniConfig.StatementStatisticsLibrary, StringComparer.Ordinal))
        {
            return;
        }

        var parameters = new Dictionary<string, string?> { [PatroniConfig.StatementStatisticsParameter] = string.Join(",", [.. libraries, PatroniConfig.StatementStatisticsLibrary]) };
        await WriteAsync(state, parameters, cancellationToken).ConfigureAwait(false);

        // A node that does not run the library yet reports it pending a restart once its Patroni has written it.
        if (!(await WaitAppliedEverywhereAsync(parameters, cancellationToken).ConfigureAwait(false)).Applied)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"{PatroniConfig.StatementStatisticsParameter} of '{access.Name}' was stored but not every node took it within {AppliedLimit.TotalSeconds:0}s; run `hangar postgres restart -a {access.Name}` again");
        }
    }

    /// <summary>
    /// Applied when every node answered and, for each parameter, runs the new value or reports that it needs a
    /// restart for it; a null value (a reset) counts as applied once the node has the row. Pending lists every
    /// node that answered with any parameter waiting for a restart.
    /// </summary>
    internal static RolloutState Decide(IReadOnlyDictionary<string, string?> parameters, IReadOnlyList<NodeSettings?> nodes)
    {
        var pending = nodes.OfType<NodeSettings>().Where(n => n.AnyPendingRestart).Select(n => n.Node).ToList();
        var applied = nodes.All(node => node is not null && parameters.All(p =>
            node.Settings.TryGetValue(p.Key, out var row)
            && (row.PendingRestart || p.Value is null || SettingValues.Matches(new SettingSpec(p.Key, row.VarType, row.Unit, null, null, [], false), row.Setting, p.Value))));
        return new RolloutState(applied, pending);
    }

    /// <summary>One node's pg_settings rows for <paramref name="names"/>; null when the node does not answer.</summary>
    private static async Task<NodeSettings?> ReadNodeAsync(string node, string connectionString, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        try
        {
            var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=5");
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                bool anyPending;
                var command = new NpgsqlCommand("SELECT count(*) FROM pg_settings WHERE pending_restart", connection);
                await using (command.ConfigureAwait(false))
                {
                    anyPending = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
                }

                var settings = new Dictionary<string, NodeSetting>(StringComparer.Ordinal);
                foreach (var name in names)
                {
                    var query = new NpgsqlCommand("SELECT setting, unit, pending_restart, vartype FROM pg_settings WHERE name = $1", connection);
                    await using (query.ConfigureAwait(false))
                    {
                        query.Parameters.AddWithValue(name);
                        var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                            {
                                settings[name] = new NodeSetting(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetBoolean(2), reader.GetString(3));
                            }
                        }
                    }
                }

                return new NodeSettings(node, anyPending, settings);
            }
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }
}
