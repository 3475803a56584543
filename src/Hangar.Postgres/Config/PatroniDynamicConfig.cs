using System.Text;
using System.Text.Json.Nodes;
using Hangar.State;

namespace Hangar.Postgres.Config;

/// <summary>
/// Patroni's dynamic (cluster-wide) configuration read and changed in etcd itself, for when no member's REST API
/// answers: the key is what every member's PATCH /config writes (JSON, compare-and-swap on its revision), and each
/// Patroni applies a change to its postgresql.conf on its next loop, whether or not a leader exists.
/// </summary>
public static class PatroniDynamicConfig
{
    private const int Attempts = 5;

    /// <summary>The configuration key of a cluster (etcd3, namespace /hangar-pg/).</summary>
    public static string Key(string clusterName) => $"{PatroniNodeOptions.Namespace}{clusterName}/config";

    /// <summary>The stored configuration; null when the cluster has none (never bootstrapped).</summary>
    public static async Task<JsonObject?> ReadAsync(IKeyValueStore store, string clusterName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var entry = await store.GetAsync(Key(clusterName), cancellationToken).ConfigureAwait(false);
        return entry is null ? null : JsonNode.Parse(Encoding.UTF8.GetString(entry.Value)) as JsonObject;
    }

    /// <summary>
    /// Merges <paramref name="parameters"/> into postgresql.parameters (a null value removes one), as Patroni's
    /// PATCH /config does, with a compare-and-swap so a concurrent change by a member is never lost.
    /// Returns the new configuration; throws <see cref="InvalidOperationException"/> when there is none to change.
    /// </summary>
    public static async Task<JsonObject> SetParametersAsync(IKeyValueStore store, string clusterName, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(parameters);
        var key = Key(clusterName);
        for (var attempt = 1; ; attempt++)
        {
            var entry = await store.GetAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"cluster {clusterName} has no dynamic configuration in etcd (never bootstrapped)");
            var config = JsonNode.Parse(Encoding.UTF8.GetString(entry.Value)) as JsonObject
                ?? throw new InvalidOperationException($"cluster {clusterName} has a dynamic configuration that is not a JSON object");
            if (config["postgresql"] is not JsonObject postgresql)
            {
                config["postgresql"] = postgresql = [];
            }

            if (postgresql["parameters"] is not JsonObject values)
            {
                postgresql["parameters"] = values = [];
            }

            foreach (var (name, value) in parameters)
            {
                if (value is null)
                {
                    values.Remove(name);
                }
                else
                {
                    values[name] = value;
                }
            }

            var put = new PutOp(key, Encoding.UTF8.GetBytes(config.ToJsonString()));
            if (await store.TryCommitAsync(new StoreTxn([new StoreCondition(key, entry.ModRevision)], [put]), cancellationToken).ConfigureAwait(false) is not null)
            {
                return config;
            }

            if (attempt == Attempts)
            {
                throw new InvalidOperationException($"the dynamic configuration of cluster {clusterName} kept changing under us ({Attempts} attempts)");
            }
        }
    }
}
