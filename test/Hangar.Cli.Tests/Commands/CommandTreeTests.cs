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
    [InlineData("up --data-dir /tmp/x --api-listen 127.0.0.1:0 --etcd http://127.0.0.1:2379")]
    public void Flyctl_style_invocations_parse(string line) => Assert.Empty(CliApp.Build().Parse(line.Split(' ')).Errors);

    [Theory]
    [InlineData("volumes create")]
    [InlineData("secrets list")]
    [InlineData("volumes create v --size ten")]
    [InlineData("apps frobnicate")]
    public void Malformed_invocations_are_parse_errors(string line) => Assert.NotEmpty(CliApp.Build().Parse(line.Split(' ')).Errors);
}
