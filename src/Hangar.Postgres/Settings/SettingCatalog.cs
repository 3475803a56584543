using System.Globalization;
using Npgsql;

namespace Hangar.Postgres.Settings;

/// <summary>
/// Where parameter rules come from: PostgreSQL's own pg_settings on any running node (leader or replica: the
/// rules are the server's, not the cluster's), and, when no node answers (a leaderless or stopped cluster is
/// exactly when a repair is needed), a built-in copy of PostgreSQL 15's rows for the parameters Hangar sets.
/// </summary>
public static class SettingCatalog
{
    private const string Query = "SELECT name, vartype, unit, min_val, max_val, enumvals, context FROM pg_settings WHERE name = ANY($1)";

    /// <summary>PostgreSQL 15's pg_settings rows for the parameters `postgres config update` sets.</summary>
    public static IReadOnlyDictionary<string, SettingSpec> Builtin { get; } = new Dictionary<string, SettingSpec>(StringComparer.Ordinal)
    {
        ["max_connections"] = new("max_connections", SettingSpec.Integer, null, 1, 262143, [], NeedsRestart: true),
        ["shared_buffers"] = new("shared_buffers", SettingSpec.Integer, "8kB", 16, 1073741823, [], NeedsRestart: true),
        ["work_mem"] = new("work_mem", SettingSpec.Integer, "kB", 64, 2147483647, [], NeedsRestart: false),
        ["log_min_duration_statement"] = new("log_min_duration_statement", SettingSpec.Integer, "ms", -1, 2147483647, [], NeedsRestart: false),
        ["log_statement"] = new("log_statement", SettingSpec.Enum, null, null, null, ["none", "ddl", "mod", "all"], NeedsRestart: false),
    };

    /// <summary>
    /// The rules for <paramref name="names"/> from the first node in <paramref name="connectionStrings"/> that
    /// answers, completed from <see cref="Builtin"/>; <c>FromServer</c> is false when no node answered.
    /// </summary>
    public static async Task<(IReadOnlyDictionary<string, SettingSpec> Specs, bool FromServer)> LoadAsync(
        IEnumerable<string> connectionStrings, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connectionStrings);
        ArgumentNullException.ThrowIfNull(names);
        foreach (var connectionString in connectionStrings)
        {
            try
            {
                var specs = await ReadAsync(connectionString, names, cancellationToken).ConfigureAwait(false);
                foreach (var name in names.Where(n => !specs.ContainsKey(n) && Builtin.ContainsKey(n)))
                {
                    specs[name] = Builtin[name];
                }

                return (specs, true);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                // This node is down or refusing; the next one, or the built-in rules, will do.
            }
        }

        return (names.Where(Builtin.ContainsKey).ToDictionary(n => n, n => Builtin[n], StringComparer.Ordinal), false);
    }

    private static async Task<Dictionary<string, SettingSpec>> ReadAsync(string connectionString, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        // A stopped node must not hold the caller up for long: the built-in rules are the fallback.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 3, CommandTimeout = 5, Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = new NpgsqlCommand(Query, connection);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = names.ToArray() });
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var specs = new Dictionary<string, SettingSpec>(StringComparer.Ordinal);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var name = reader.GetString(0);
                        specs[name] = new SettingSpec(
                            name,
                            reader.GetString(1),
                            reader.IsDBNull(2) ? null : reader.GetString(2),
                            Bound(reader, 3),
                            Bound(reader, 4),
                            reader.IsDBNull(5) ? [] : reader.GetFieldValue<string[]>(5),
                            reader.GetString(6) == "postmaster");
                    }

                    return specs;
                }
            }
        }
    }

    private static decimal? Bound(NpgsqlDataReader reader, int ordinal) =>
        !reader.IsDBNull(ordinal) && decimal.TryParse(reader.GetString(ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
