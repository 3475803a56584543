using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Xunit;

namespace Hangar.Cli.Tests.Commands;

public sealed class CommandTreeTests
{
    [Theory]
    [InlineData("apps create x")]
    [InlineData("apps list --json")]
    [InlineData("secrets set -a app A=1 B=2")]
    [InlineData("secrets list -a app")]
    [InlineData("run -a app -- sh -c true")]
    [InlineData("volumes create data --size 3 --region local --snapshot-retention 10 --scheduled-snapshots false")]
    [InlineData("volumes create data --auto-extend-threshold 80 --auto-extend-increment 1 --auto-extend-limit 10")]
    [InlineData("vol snapshots list vol_x")]
    [InlineData("volumes extend vol_x --size 4 --yes")]
    [InlineData("logs -a db --follow")]
    [InlineData("storage create --name pics -a web --public")]
    [InlineData("storage create --shadow-bucket s3://old --shadow-endpoint http://127.0.0.1:9000 --shadow-access-key k --shadow-secret-key s --shadow-write-through")]
    [InlineData("storage update pics --private --index-document index.html --error-document 404.html")]
    [InlineData("storage keys create --bucket a --bucket b --read-only")]
    [InlineData("redis create --name cache --maxmemory 64 --enable-eviction --persistence rdb")]
    [InlineData("checks list -a cache")]
    [InlineData("dashboard --json")]
    [InlineData("postgres dashboard -a db")]
    [InlineData("redis dashboard cache")]
    [InlineData("storage dashboard pics --json")]
    [InlineData("up --data-dir /tmp/x --prometheus-url http://127.0.0.1:9090")]
    [InlineData("up --data-dir /tmp/x --api-listen 127.0.0.1:0 --etcd http://127.0.0.1:2379")]
    public void Flyctl_style_invocations_parse(string line) => Assert.Empty(CliApp.Build().Parse(line.Split(' ')).Errors);

    [Theory]
    [InlineData("volumes create")]
    [InlineData("secrets list")]
    [InlineData("volumes create v --size ten")]
    [InlineData("apps frobnicate")]
    [InlineData("postgres dashboard")]
    [InlineData("redis dashboard")]
    public void Malformed_invocations_are_parse_errors(string line) => Assert.NotEmpty(CliApp.Build().Parse(line.Split(' ')).Errors);

    /// <summary>Each verb is built in its own folder (Commands/&lt;Noun&gt;/&lt;Verb&gt;/): a verb left out of its noun's list shows here.</summary>
    [Fact]
    public void Every_noun_lists_its_verbs_in_help_order()
    {
        string[] expected =
        [
            "up", "status", "logs",
            "apps", "apps create", "apps list", "apps destroy",
            "secrets", "secrets set", "secrets import", "secrets list", "secrets unset",
            "run",
            "volumes", "volumes create", "volumes list", "volumes show", "volumes extend", "volumes fork", "volumes destroy",
            "volumes snapshots", "volumes snapshots create", "volumes snapshots list",
            "postgres", "postgres create", "postgres list", "postgres status", "postgres attach", "postgres detach", "postgres connect", "postgres import",
            "postgres db", "postgres db list", "postgres db create", "postgres users", "postgres users list", "postgres failover", "postgres restart",
            "postgres config", "postgres config show", "postgres config update", "postgres destroy",
            "postgres backup", "postgres backup enable", "postgres backup disable", "postgres backup create", "postgres backup list",
            "postgres backup restore", "postgres backup mark", "postgres backup drill", "postgres dashboard",
            "mpg", "mpg create", "mpg list", "mpg status", "mpg connect", "mpg proxy", "mpg attach", "mpg detach", "mpg config", "mpg config show", "mpg config update",
            "mpg databases", "mpg databases list", "mpg databases create", "mpg backup", "mpg backup list", "mpg backup create", "mpg restore", "mpg failover", "mpg destroy",
            "mpg users", "mpg users list", "mpg users create", "mpg users set-role", "mpg users delete", "mpg extensions", "mpg extensions list",
            "redis", "redis create", "redis list", "redis status", "redis connect", "redis attach", "redis detach", "redis update", "redis destroy", "redis dashboard",
            "storage", "storage create", "storage list", "storage show", "storage update", "storage destroy",
            "storage keys", "storage keys create", "storage keys list", "storage keys revoke", "storage dashboard",
            "sqlite", "sqlite replicate", "sqlite list", "sqlite status", "sqlite stop", "sqlite restore", "sqlite config", "sqlite drill",
            "scale", "scale count", "checks", "checks list", "dashboard", "metrics", "metrics targets", "certificates", "certificates ca", "auth", "auth token", "version",
        ];
        Assert.Equal(expected, Paths(CliApp.Build(), prefix: null));
    }

    private static IEnumerable<string> Paths(Command command, string? prefix) =>
        command.Subcommands.Where(c => !c.Hidden).SelectMany(c =>
        {
            var path = prefix is null ? c.Name : prefix + " " + c.Name;
            return Paths(c, path).Prepend(path);
        });
}
