using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Daemon.Postgres;
using Hangar.Postgres.Settings;
using Xunit;

namespace Hangar.Daemon.Tests.Postgres;

public sealed class PostgresSettingsTests
{
    private static Dictionary<string, string?> Validate(PostgresConfigUpdateRequest request) =>
        PostgresSettings.Validate(PostgresSettings.Requested("db", request), SettingCatalog.Builtin);

    [Fact]
    public void Every_bad_flag_is_named_at_once_in_one_line()
    {
        var error = Assert.Throws<HangarException>(() => Validate(new PostgresConfigUpdateRequest
        {
            MaxConnections = 5,
            SharedBuffers = "256MB\n",
            WorkMem = "8 parsecs",
            LogMinDurationStatement = -7,
            LogStatement = "verbose",
        }));
        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        foreach (var fragment in new[]
        {
            "invalid --max-connections '5' (out of range): max_connections is a whole number from 10 to 10000",
            "invalid --shared-buffers '256MB\\n' (a control character)",
            "invalid --work-mem '8 parsecs' (not a number)",
            "invalid --log-min-duration-statement '-7' (out of range)",
            "invalid --log-statement 'verbose' (not one of the values): log_statement is one of none, ddl, mod, all",
        })
        {
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Good_flags_become_parameters_numbers_as_given_and_enums_in_postgresql_spelling()
    {
        var parameters = Validate(new PostgresConfigUpdateRequest { MaxConnections = 200, SharedBuffers = "256MB", WorkMem = "8MB", LogMinDurationStatement = -1, LogStatement = "DDL" });
        Assert.Equal(new Dictionary<string, string?>
        {
            ["max_connections"] = "200",
            ["shared_buffers"] = "256MB",
            ["work_mem"] = "8MB",
            ["log_min_duration_statement"] = "-1",
            ["log_statement"] = "ddl",
        }, parameters);
    }

    [Fact]
    public void Nothing_to_update_and_a_bad_cluster_name_are_refused_before_any_node_is_asked()
    {
        var error = Assert.Throws<HangarException>(() => PostgresSettings.Requested("Bad\nName", new PostgresConfigUpdateRequest()));
        Assert.Contains("nothing to update", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid cluster name", error.Message, StringComparison.Ordinal);
    }
}
