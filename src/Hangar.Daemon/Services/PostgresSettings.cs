using System.Globalization;
using System.Text.RegularExpressions;
using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Names;

namespace Hangar.Daemon.Services;

/// <summary>`postgres config update` flags: validated (every problem at once) and turned into PostgreSQL parameters.</summary>
internal static partial class PostgresSettings
{
    public static Dictionary<string, string?> Validate(string cluster, PostgresConfigUpdateRequest request)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", cluster));
        problems.Range("--max-connections", request.MaxConnections, 10, 10000);
        problems.Range("--log-min-duration-statement", request.LogMinDurationStatement, -1, int.MaxValue);
        CheckSize(problems, "--shared-buffers", request.SharedBuffers, 128);
        CheckSize(problems, "--work-mem", request.WorkMem, 64);
        problems.Check(request.LogStatement is null or "none" or "ddl" or "mod" or "all", $"invalid --log-statement '{request.LogStatement}': none, ddl, mod or all");
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        Add(parameters, "max_connections", request.MaxConnections?.ToString(CultureInfo.InvariantCulture));
        Add(parameters, "shared_buffers", request.SharedBuffers);
        Add(parameters, "work_mem", request.WorkMem);
        Add(parameters, "log_min_duration_statement", request.LogMinDurationStatement?.ToString(CultureInfo.InvariantCulture));
        Add(parameters, "log_statement", request.LogStatement);
        problems.Check(parameters.Count > 0, "nothing to update: pass --max-connections, --shared-buffers, --work-mem, --log-min-duration-statement or --log-statement");
        problems.ThrowIfAny();
        return parameters;
    }

    /// <summary>Whether pg_settings' <paramref name="setting"/> (in <paramref name="unit"/>) equals the value as given.</summary>
    public static bool Matches(string setting, string? unit, string? value)
    {
        if (value is null)
        {
            return true;
        }

        if (Size().Match(value) is { Success: true } size && unit is "8kB" or "kB" or "MB" or "GB")
        {
            var wanted = long.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture) * Kilobytes(size.Groups[2].Value);
            var per = Kilobytes(unit);
            return long.TryParse(setting, CultureInfo.InvariantCulture, out var actual) && actual * per == wanted;
        }

        return string.Equals(setting, value, StringComparison.OrdinalIgnoreCase);
    }

    private static void CheckSize(ProblemList problems, string flag, string? value, long minKb)
    {
        if (value is null)
        {
            return;
        }

        var match = Size().Match(value);
        problems.Check(match.Success && long.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var n) && n * Kilobytes(match.Groups[2].Value) >= minKb,
            $"invalid {flag} '{value}': a size such as 128MB or 1GB (units kB, MB, GB; at least {minKb}kB)");
    }

    private static long Kilobytes(string unit) => unit switch
    {
        "8kB" => 8,
        "kB" => 1,
        "MB" => 1024,
        "GB" => 1024 * 1024,
        _ => 1,
    };

    private static void Add(Dictionary<string, string?> parameters, string name, string? value)
    {
        if (value is not null)
        {
            parameters[name] = value;
        }
    }

    [GeneratedRegex("^([1-9][0-9]{0,9})(kB|MB|GB)$")]
    private static partial Regex Size();
}
