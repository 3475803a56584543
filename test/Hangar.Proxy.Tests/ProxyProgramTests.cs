using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hangar.Proxy.Tests.TestSupport;

namespace Hangar.Proxy.Tests;

/// <summary>The process entry point end to end: config file in, status file out, reloads on change.</summary>
public sealed class ProxyProgramTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hangar-proxy-test-").FullName;

    private string ConfigPath => Path.Combine(_directory, "proxy.json");

    private string StatusPath => Path.Combine(_directory, "proxy.status.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Config_reload_adds_and_removes_nodes_and_the_status_file_follows()
    {
        await using var one = await TestNode.StartAsync("db-1", isLeader: false);
        await using var two = await TestNode.StartAsync("db-2", isLeader: true);
        WriteConfig(one);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = Task.Run(() => ProxyProgram.RunAsync(["--config", ConfigPath], stop.Token));

        var status = await WaitForStatusAsync(s => s["nodes"]!.AsArray().Count == 1 && (string?)s["nodes"]![0]!["role"] == "not_leader");
        Assert.Null((string?)status["leader"]);
        var listen = IPEndPoint.Parse((string)status["listen"]!);
        Assert.NotEqual(0, listen.Port);

        // db-2 leads but is not in the config yet: the client waits for it.
        using var client = await TestClient.ConnectAsync(listen);
        WriteConfig(one, two);
        Assert.Equal("db-2", await client.ReadGreetingAsync(TimeSpan.FromSeconds(5)));
        status = await WaitForStatusAsync(s => (string?)s["leader"] == "db-2" && (int)s["activeConnections"]! == 1);
        Assert.Equal(1, (long)status["totalConnections"]!);
        Assert.Equal(1, (int)status["nodes"]!.AsArray().Single(n => (string?)n!["name"] == "db-2")!["activeConnections"]!);

        // Scaling down removes db-2: its connections are closed and there is no leader any more.
        WriteConfig(one);
        Assert.NotNull(await client.ReadToEndAsync(TimeSpan.FromSeconds(5)));
        await WaitForStatusAsync(s => s["leader"] is null && (int)s["activeConnections"]! == 0 && s["nodes"]!.AsArray().Count == 1);

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task An_invalid_reload_keeps_the_running_config()
    {
        await using var one = await TestNode.StartAsync("db-1", isLeader: true);
        WriteConfig(one);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = Task.Run(() => ProxyProgram.RunAsync(["--config", ConfigPath], stop.Token));
        var status = await WaitForStatusAsync(s => (string?)s["leader"] == "db-1");

        await File.WriteAllTextAsync(ConfigPath, "{ \"cluster\": \"db\", \"nodes\": [ }");

        // Asserting that nothing changes needs a window: the reload runs 50 ms after the write.
        await Task.Delay(500);
        using var client = await TestClient.ConnectAsync(IPEndPoint.Parse((string)status["listen"]!));
        Assert.Equal("db-1", await client.ReadGreetingAsync());
        await WaitForStatusAsync(s => (string?)s["leader"] == "db-1" && (int)s["activeConnections"]! == 1 && s["nodes"]!.AsArray().Count == 1);

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_bad_config_file_fails_with_exit_code_2()
    {
        await File.WriteAllTextAsync(ConfigPath, """{ "cluster": "db", "listen": "nowhere", "nodes": [] }""");
        Assert.Equal(2, await ProxyProgram.RunAsync(["--config", ConfigPath], CancellationToken.None));
        Assert.Equal(2, await ProxyProgram.RunAsync(["--config", Path.Combine(_directory, "missing.json")], CancellationToken.None));
        Assert.Equal(2, await ProxyProgram.RunAsync(["--bogus"], CancellationToken.None));
        Assert.False(File.Exists(StatusPath));
    }

    private void WriteConfig(params TestNode[] nodes)
    {
        var config = new JsonObject
        {
            ["cluster"] = "db",
            ["listen"] = "127.0.0.1:0",
            ["pollIntervalMs"] = 100,
            ["leaderWaitTimeoutMs"] = 10_000,
            ["nodes"] = new JsonArray([.. nodes.Select(n => (JsonNode)new JsonObject
            {
                ["name"] = n.Name,
                ["host"] = "127.0.0.1",
                ["port"] = n.Backend.Port,
                ["patroniUrl"] = n.Patroni.Url.ToString(),
            })]),
        };

        // As the daemon does: write aside, then rename over the old file.
        var temp = ConfigPath + ".tmp";
        File.WriteAllText(temp, config.ToJsonString());
        File.Move(temp, ConfigPath, overwrite: true);
    }

    private async Task<JsonNode> WaitForStatusAsync(Func<JsonNode, bool> condition)
    {
        JsonNode? last = null;
        await Eventually.TrueAsync(
            () =>
            {
                try
                {
                    last = JsonNode.Parse(File.ReadAllText(StatusPath));
                    return condition(last!);
                }
                catch (Exception e) when (e is FileNotFoundException or JsonException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(10),
            "status file state");
        return last!;
    }
}
