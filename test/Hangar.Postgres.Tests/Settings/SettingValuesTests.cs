using Hangar.Postgres.Settings;

namespace Hangar.Postgres.Tests.Settings;

public sealed class SettingValuesTests
{
    private static SettingSpec Spec(string name) => SettingCatalog.Builtin[name];

    [Theory]
    [InlineData("work_mem", "8MB\n", "'8MB\\n' (a control character)")]
    [InlineData("work_mem", "8MB\r", "'8MB\\r' (a control character)")]
    [InlineData("work_mem", "8MB\r\n", "'8MB\\r\\n' (a control character)")]
    [InlineData("work_mem", "8\u0000MB", "'8\\u0000MB' (a control character)")]
    [InlineData("work_mem", "8\tMB", "'8\\tMB' (a control character)")]
    [InlineData("work_mem", "\u001b[31m8MB", "'\\u001b[31m8MB' (a control character)")]
    [InlineData("work_mem", " 8MB", "' 8MB' (leading or trailing space)")]
    [InlineData("work_mem", "8MB ", "'8MB ' (leading or trailing space)")]
    [InlineData("work_mem", "8 MB", "'8 MB' (not a number)")]
    [InlineData("work_mem", "8MB'", "'8MB'' (a quote or backslash)")]
    [InlineData("work_mem", "'8MB'", "''8MB'' (a quote or backslash)")]
    [InlineData("work_mem", "8MB\"", "'8MB\"' (a quote or backslash)")]
    [InlineData("work_mem", "8MB\\", "'8MB\\\\' (a quote or backslash)")]
    [InlineData("work_mem", "", "'' (empty)")]
    [InlineData("work_mem", "8 parsecs", "'8 parsecs' (not a number)")]
    [InlineData("work_mem", "8parsecs", "'8parsecs' (unknown unit 'parsecs')")]
    [InlineData("work_mem", "8mb", "'8mb' (unknown unit 'mb')")]
    [InlineData("work_mem", "8s", "'8s' (unknown unit 's')")]
    [InlineData("work_mem", "32kB", "'32kB' (out of range)")]
    [InlineData("work_mem", "-8MB", "'-8MB' (out of range)")]
    [InlineData("work_mem", "0", "'0' (out of range)")]
    [InlineData("work_mem", "2TB", "'2TB' (out of range)")]
    [InlineData("work_mem", "99999999999999999999999999999999TB", "(out of range)")]
    [InlineData("work_mem", "9999999999999999999999999999TB", "(out of range)")]
    [InlineData("work_mem", "0x10MB", "'0x10MB' (not a number)")]
    [InlineData("work_mem", "1e3MB", "'1e3MB' (not a number)")]
    [InlineData("work_mem", "MB", "'MB' (not a number)")]
    [InlineData("work_mem", "８MB", "'８MB' (not a number)")]
    [InlineData("shared_buffers", "64kB", "'64kB' (out of range)")]
    [InlineData("shared_buffers", "9TB", "'9TB' (out of range)")]
    [InlineData("max_connections", "0", "'0' (out of range)")]
    [InlineData("max_connections", "300000", "'300000' (out of range)")]
    [InlineData("max_connections", "100MB", "'100MB' (max_connections takes no unit)")]
    [InlineData("max_connections", "ten", "'ten' (not a number)")]
    [InlineData("log_min_duration_statement", "-2", "'-2' (out of range)")]
    [InlineData("log_min_duration_statement", "5kB", "'5kB' (unknown unit 'kB')")]
    [InlineData("log_min_duration_statement", "25d", "'25d' (out of range)")]
    [InlineData("log_statement", "loud", "'loud' (not one of the values)")]
    [InlineData("log_statement", "all\n", "'all\\n' (a control character)")]
    [InlineData("log_statement", "al", "'al' (not one of the values)")]
    public void A_bad_value_is_one_line_naming_the_flag_the_escaped_value_and_what_is_allowed(string parameter, string value, string expected)
    {
        var problem = SettingValues.Problem("--flag", Spec(parameter), value);
        Assert.NotNull(problem);
        Assert.StartsWith("invalid --flag ", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Contains(parameter + " is ", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
        Assert.DoesNotContain('\r', problem);
        Assert.DoesNotContain(problem, c => char.IsControl(c));
        Assert.Null(SettingValues.Normalize(Spec(parameter), value));
    }

    [Theory]
    [InlineData("work_mem", "8MB", "8192")]
    [InlineData("work_mem", "64kB", "64")]
    [InlineData("work_mem", "1GB", "1048576")]
    [InlineData("work_mem", "65536B", "64")]
    [InlineData("work_mem", "1.5MB", "1536")]
    [InlineData("work_mem", "4096", "4096")]
    [InlineData("work_mem", "2147483647kB", "2147483647")]
    [InlineData("shared_buffers", "128MB", "16384")]
    [InlineData("shared_buffers", "128kB", "16")]
    [InlineData("shared_buffers", "136kB", "17")]
    [InlineData("shared_buffers", "140kB", "18")]
    [InlineData("shared_buffers", "1GB", "131072")]
    [InlineData("max_connections", "10", "10")]
    [InlineData("max_connections", "200", "200")]
    [InlineData("log_min_duration_statement", "-1", "-1")]
    [InlineData("log_min_duration_statement", "250", "250")]
    [InlineData("log_min_duration_statement", "2s", "2000")]
    [InlineData("log_min_duration_statement", "1min", "60000")]
    [InlineData("log_min_duration_statement", "1h", "3600000")]
    [InlineData("log_min_duration_statement", "1d", "86400000")]
    [InlineData("log_min_duration_statement", "1500us", "2")]
    [InlineData("log_statement", "ddl", "ddl")]
    [InlineData("log_statement", "ALL", "all")]
    public void A_good_value_normalizes_to_what_pg_settings_shows(string parameter, string value, string setting)
    {
        Assert.Null(SettingValues.Problem("--flag", Spec(parameter), value));
        Assert.Equal(setting, SettingValues.Normalize(Spec(parameter), value));
        Assert.True(SettingValues.Matches(Spec(parameter), setting, value));
    }

    [Fact]
    public void A_huge_value_is_cut_in_the_message()
    {
        var huge = new string('9', 100_000) + "MB";
        var problem = SettingValues.Problem("--work-mem", Spec("work_mem"), huge);
        Assert.NotNull(problem);
        Assert.Contains("longer than 1024 characters", problem, StringComparison.Ordinal);
        Assert.Contains("(100002 characters)", problem, StringComparison.Ordinal);
        Assert.True(problem.Length < 300, problem);
    }

    [Fact]
    public void What_is_allowed_speaks_in_postgresql_units()
    {
        Assert.Equal("work_mem is a size such as 8MB (B, kB, MB, GB or TB) from 64kB to 2147483647kB", SettingValues.Allowed(Spec("work_mem")));
        Assert.Equal("shared_buffers is a size such as 8MB (B, kB, MB, GB or TB) from 128kB to 8589934584kB", SettingValues.Allowed(Spec("shared_buffers")));
        Assert.Equal("log_statement is one of none, ddl, mod, all", SettingValues.Allowed(Spec("log_statement")));
        Assert.Equal("max_connections is a whole number from 1 to 262143", SettingValues.Allowed(Spec("max_connections")));
        Assert.StartsWith("log_min_duration_statement is a duration such as 500ms (us, ms, s, min, h or d; a plain number is in ms) from -1ms", SettingValues.Allowed(Spec("log_min_duration_statement")), StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_compares_in_the_base_unit()
    {
        Assert.True(SettingValues.Matches(Spec("work_mem"), "8192", "8MB"));
        Assert.False(SettingValues.Matches(Spec("work_mem"), "4096", "8MB"));
        Assert.False(SettingValues.Matches(Spec("work_mem"), "8192", "8MB\n"));
        Assert.True(SettingValues.Matches(Spec("log_statement"), "ddl", "DDL"));
    }
}
