using System.Globalization;
using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Names;
using Hangar.Postgres.Settings;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// `postgres config update` flags: each flag is a PostgreSQL parameter, checked against PostgreSQL's own rules
/// (<see cref="SettingCatalog"/>) and Hangar's narrower limits, every problem at once.
/// </summary>
internal static class PostgresSettings
{
    /// <summary>Hangar's limits inside PostgreSQL's: fewer than 10 connections leaves no room for Patroni and the admin role.</summary>
    private static readonly Dictionary<string, (decimal Min, decimal Max)> Limits = new(StringComparer.Ordinal)
    {
        ["max_connections"] = (10, 10000),
    };

    /// <summary>The parameters a request sets, with the flag that set each; checks that do not need PostgreSQL's rules.</summary>
    public static IReadOnlyList<(string Parameter, string Flag, string Value)> Requested(string cluster, PostgresConfigUpdateRequest request)
    {
        var requested = new List<(string, string, string)>();
        void Add(string parameter, string flag, string? value)
        {
            if (value is not null)
            {
                requested.Add((parameter, flag, value));
            }
        }

        Add("max_connections", "--max-connections", request.MaxConnections?.ToString(CultureInfo.InvariantCulture));
        Add("shared_buffers", "--shared-buffers", request.SharedBuffers);
        Add("work_mem", "--work-mem", request.WorkMem);
        Add("log_min_duration_statement", "--log-min-duration-statement", request.LogMinDurationStatement?.ToString(CultureInfo.InvariantCulture));
        Add("log_statement", "--log-statement", request.LogStatement);
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", cluster));
        problems.Check(requested.Count > 0, "nothing to update: pass --max-connections, --shared-buffers, --work-mem, --log-min-duration-statement or --log-statement");
        problems.ThrowIfAny();
        return requested;
    }

    /// <summary>Every value checked against <paramref name="specs"/> (every problem at once); the parameters to set.</summary>
    public static Dictionary<string, string?> Validate(IReadOnlyList<(string Parameter, string Flag, string Value)> requested, IReadOnlyDictionary<string, SettingSpec> specs)
    {
        var problems = new ProblemList();
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (parameter, flag, value) in requested)
        {
            var spec = Narrowed(specs[parameter]);
            problems.Add(SettingValues.Problem(flag, spec, value));

            // An enum or bool goes in PostgreSQL's own spelling; a number as given (8MB reads better than 8192).
            parameters[parameter] = spec.VarType is SettingSpec.Enum or SettingSpec.Bool ? SettingValues.Normalize(spec, value) : value;
        }

        problems.ThrowIfAny();
        return parameters;
    }

    private static SettingSpec Narrowed(SettingSpec spec) => Limits.TryGetValue(spec.Name, out var limit)
        ? spec with { Min = Math.Max(spec.Min ?? limit.Min, limit.Min), Max = Math.Min(spec.Max ?? limit.Max, limit.Max) }
        : spec;
}
