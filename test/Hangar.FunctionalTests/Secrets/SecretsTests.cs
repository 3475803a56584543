using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Secrets;

[Collection(SharedDaemonCollection.Name)]
public sealed class SecretsTests(SharedDaemon shared)
{
    private HangarDaemon Daemon => shared.Daemon;

    [Fact]
    public async Task Set_values_reach_a_command_through_hangar_run_and_its_exit_code_comes_back()
    {
        (await Daemon.RunAsync("apps", "create", "runner")).ShouldSucceed();
        (await Daemon.RunAsync("secrets", "set", "-a", "runner", "GREETING=hello world", "EMPTY=", "WITH_EQ=a=b")).ShouldSucceed();
        var run = await Daemon.RunAsync("run", "-a", "runner", "--", "sh", "-c", "printf '%s|%s|%s' \"$GREETING\" \"$EMPTY\" \"$WITH_EQ\"; exit 7");
        Assert.Equal(7, run.ExitCode);
        Assert.Equal("hello world||a=b", run.Stdout);
    }

    [Fact]
    public async Task List_shows_names_and_digests_never_values()
    {
        (await Daemon.RunAsync("apps", "create", "lister")).ShouldSucceed();
        (await Daemon.RunAsync("secrets", "set", "-a", "lister", "API_KEY=sup3r-s3cret-value")).ShouldSucceed();
        var table = (await Daemon.RunAsync("secrets", "list", "-a", "lister")).ShouldSucceed();
        var json = (await Daemon.RunAsync("secrets", "list", "-a", "lister", "--json")).ShouldSucceed();
        Assert.Contains("API_KEY", table.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("sup3r-s3cret-value", table.Stdout + json.Stdout, StringComparison.Ordinal);
        var digest = JsonDocument.Parse(json.Stdout).RootElement[0].GetProperty("digest").GetString();
        Assert.Matches("^[0-9a-f]{16}$", digest);

        // The value is not stored in clear anywhere in the data dir, etcd's files included (grep: etcd holds locks .NET would respect).
        using var grep = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("grep", ["-r", "-a", "-l", "sup3r-s3cret-value", Daemon.DataDir]) { RedirectStandardOutput = true })!;
        var found = await grep.StandardOutput.ReadToEndAsync();
        await grep.WaitForExitAsync();
        Assert.True(grep.ExitCode == 1, $"secret value found in clear in: {found}");
    }

    [Fact]
    public async Task Import_reads_dotenv_from_stdin_and_unset_removes()
    {
        (await Daemon.RunAsync("apps", "create", "importer")).ShouldSucceed();
        const string dotenv = "# comment\nexport A=1\nB='two words'\nC=\"line1\\nline2\"\n\nD=plain # trailing comment\n";
        (await Daemon.RunWithInputAsync(dotenv, "secrets", "import", "-a", "importer")).ShouldSucceed();
        var run = await Daemon.RunAsync("run", "-a", "importer", "--", "sh", "-c", "printf '%s|%s|%s|%s' \"$A\" \"$B\" \"$C\" \"$D\"");
        Assert.Equal("1|two words|line1\nline2|plain", run.ShouldSucceed().Stdout);

        (await Daemon.RunAsync("secrets", "unset", "-a", "importer", "A", "B")).ShouldSucceed();
        var names = JsonDocument.Parse((await Daemon.RunAsync("secrets", "list", "-a", "importer", "--json")).Stdout).RootElement.EnumerateArray().Select(s => s.GetProperty("name").GetString());
        Assert.Equal(["C", "D"], names);
        (await Daemon.RunAsync("secrets", "unset", "-a", "importer", "NOPE")).ShouldFailWith("secret 'NOPE' not found");
    }

    [Fact]
    public async Task Bad_secret_input_is_refused_without_echoing_values()
    {
        (await Daemon.RunAsync("apps", "create", "picky")).ShouldSucceed();
        (await Daemon.RunAsync("secrets", "set", "-a", "picky", "1BAD=x", "ALSO-BAD=y")).ShouldFailWith("invalid secret name '1BAD'");
        var noEquals = await Daemon.RunAsync("secrets", "set", "-a", "picky", "justavaluewithoutname");
        noEquals.ShouldFailWith("NAME=VALUE");
        Assert.DoesNotContain("justavaluewithoutname", noEquals.Stderr, StringComparison.Ordinal);
        Assert.Equal("[]", (await Daemon.RunAsync("secrets", "list", "-a", "picky", "--json")).Stdout.Trim());
    }

    [Fact]
    public async Task Run_of_a_missing_command_is_a_one_line_error()
    {
        (await Daemon.RunAsync("apps", "create", "norun")).ShouldSucceed();
        (await Daemon.RunAsync("run", "-a", "norun", "--", "/no/such/binary")).ShouldFailWith("could not run '/no/such/binary'");
    }
}
