using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Apps;

[Collection(SharedDaemonCollection.Name)]
public sealed class AppsTests(SharedDaemon shared)
{
    private HangarDaemon Daemon => shared.Daemon;

    [Fact]
    public async Task Create_list_destroy_round_trip()
    {
        (await Daemon.RunAsync("apps", "create", "web-1")).ShouldSucceed();
        var list = (await Daemon.RunAsync("apps", "list", "--json")).ShouldSucceed();
        var names = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToList();
        Assert.Contains("web-1", names);

        (await Daemon.RunAsync("apps", "destroy", "web-1", "--yes")).ShouldSucceed();
        list = (await Daemon.RunAsync("apps", "list", "--json")).ShouldSucceed();
        Assert.DoesNotContain("web-1", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Destroy_without_yes_off_a_terminal_is_refused_and_keeps_the_app()
    {
        (await Daemon.RunAsync("apps", "create", "keep-me")).ShouldSucceed();
        (await Daemon.RunAsync("apps", "destroy", "keep-me")).ShouldFailWith("pass --yes");
        Assert.Contains("keep-me", (await Daemon.RunAsync("apps", "list", "--json")).Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("1starts-with-digit")]
    [InlineData("under_score")]
    [InlineData("this-name-is-far-too-long-for-hangar-because-it-has-more-than-63-chars")]
    public async Task Bad_names_are_refused_with_the_rule(string name)
    {
        (await Daemon.RunAsync("apps", "create", name)).ShouldFailWith($"invalid app name '{name}': lowercase letters, digits and '-', 1-63 characters, starting with a letter");
        Assert.DoesNotContain(name, (await Daemon.RunAsync("apps", "list", "--json")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_create_is_a_clear_conflict()
    {
        (await Daemon.RunAsync("apps", "create", "twice")).ShouldSucceed();
        (await Daemon.RunAsync("apps", "create", "twice")).ShouldFailWith("app 'twice' already exists");
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_exactly_one_wins()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Daemon.RunAsync("apps", "create", "racy")));
        Assert.Single(results, r => r.ExitCode == 0);
        Assert.All(results.Where(r => r.ExitCode != 0), r => r.ShouldFailWith("app 'racy' already exists"));
    }

    [Fact]
    public async Task Unknown_app_is_not_found()
    {
        (await Daemon.RunAsync("apps", "destroy", "no-such-app", "--yes")).ShouldFailWith("app 'no-such-app' not found");
        (await Daemon.RunAsync("secrets", "list", "-a", "no-such-app")).ShouldFailWith("app 'no-such-app' not found");
    }

    [Fact]
    public async Task Destroy_refuses_while_a_volume_belongs_to_the_app_unless_forced_and_the_volume_survives()
    {
        (await Daemon.RunAsync("apps", "create", "owner")).ShouldSucceed();
        var volume = JsonDocument.Parse((await Daemon.RunAsync("volumes", "create", "owned", "-a", "owner", "--json")).ShouldSucceed().Stdout).RootElement.GetProperty("id").GetString()!;
        (await Daemon.RunAsync("apps", "destroy", "owner", "--yes")).ShouldFailWith($"volume:{volume}");
        (await Daemon.RunAsync("apps", "destroy", "owner", "--yes", "--force")).ShouldSucceed();
        var shown = JsonDocument.Parse((await Daemon.RunAsync("volumes", "show", volume, "--json")).ShouldSucceed().Stdout).RootElement;
        Assert.False(shown.TryGetProperty("app", out _));
    }
}
