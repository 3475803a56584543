using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hangar.Client;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Daemon;

[Collection(SharedDaemonCollection.Name)]
public sealed class DaemonTests(SharedDaemon shared)
{
    private HangarDaemon Daemon => shared.Daemon;

    [Fact]
    public async Task Status_shows_a_healthy_local_etcd()
    {
        var status = JsonDocument.Parse((await Daemon.RunAsync("status", "--json")).ShouldSucceed().Stdout).RootElement;
        Assert.True(status.GetProperty("store").GetProperty("healthy").GetBoolean());
        Assert.True(status.GetProperty("store").GetProperty("embedded").GetBoolean());
        var etcd = status.GetProperty("processes").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "etcd");
        Assert.Equal("running", etcd.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_second_daemon_leaves_the_user_config_of_the_first_alone()
    {
        var userConfig = Path.Combine(Daemon.XdgConfigHome, "hangar", ClientConfig.FileName);
        var first = ClientConfig.Read(userConfig);
        Assert.Equal(Daemon.DataDir, first.DataDir);

        await using var second = new HangarDaemon { XdgConfigHome = Daemon.XdgConfigHome };
        await second.StartAsync();
        var output = Path.Combine(second.Root, "daemon-stdout.log");
        await Poll.UntilAsync(async () => File.Exists(output) && (await File.ReadAllTextAsync(output)).Contains($"Client config {userConfig} left as it is: it points at another daemon (daemon at {first.ApiUrl}, data dir {Daemon.DataDir})", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the second daemon to say why it left the user config");
        Assert.Equal(first, ClientConfig.Read(userConfig));

        // The CLI on the user file still reaches the first daemon, and a miss names the daemon that answered.
        (await second.RunAsync("apps", "create", "only-on-second")).ShouldSucceed();
        var userEnvironment = new Dictionary<string, string?> { ["HANGAR_DATA_DIR"] = null, ["HANGAR_API_URL"] = null, ["XDG_CONFIG_HOME"] = Daemon.XdgConfigHome };
        var line = (await HangarDaemon.RunWithEnvironmentAsync(null, userEnvironment, "apps", "destroy", "only-on-second", "--yes")).Fails();
        Assert.Equal($"Error: app 'only-on-second' not found (daemon at {first.ApiUrl}, data dir {Daemon.DataDir})", line);
    }

    [Fact]
    public async Task Every_route_needs_the_token()
    {
        var config = ClientConfig.Read(Path.Combine(Daemon.DataDir, "config.json"));
        using var http = new HttpClient { BaseAddress = new Uri(config.ApiUrl) };
        foreach (var path in new[] { "/v1/status", "/v1/apps", "/v1/volumes", "/openapi/v1.json", "/v1/apps/x/secrets/values", "/nope" })
        {
            using var anonymous = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            var problem = JsonDocument.Parse(await anonymous.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("unauthorized", problem.GetProperty("code").GetString());

            using var wrong = new HttpRequestMessage(HttpMethod.Get, path);
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", config.Token + "x");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        }
    }

    [Fact]
    public async Task The_api_is_described_in_openapi()
    {
        using var client = Daemon.Client();
        var doc = JsonDocument.Parse(await client.Http.GetStringAsync("openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/apps", paths);
        Assert.Contains("/v1/volumes/{id}/snapshots", paths);
    }

    [Fact]
    public async Task Errors_are_problem_details_with_a_stable_code()
    {
        using var client = Daemon.Client();
        using var response = await client.Http.PostAsync("v1/apps", new StringContent("{\"name\":\"BAD\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("invalid_argument", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());

        using var malformed = await client.Http.PostAsync("v1/apps", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task A_wrong_token_in_the_cli_is_a_one_line_error()
    {
        var config = ClientConfig.Read(Path.Combine(Daemon.DataDir, "config.json"));
        var start = new System.Diagnostics.ProcessStartInfo(HangarDaemon.Binary, ["apps", "list"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment.Remove("HANGAR_DATA_DIR");
        start.Environment["HANGAR_API_URL"] = config.ApiUrl;
        start.Environment["HANGAR_API_TOKEN"] = "wrong";
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        new CliResult(process.ExitCode, await process.StandardOutput.ReadToEndAsync(), stderr).ShouldFailWith("invalid API token");
    }

    [Fact]
    public async Task Auth_token_prints_the_token_and_the_config_file_is_private()
    {
        var config = ClientConfig.Read(Path.Combine(Daemon.DataDir, "config.json"));
        Assert.Equal(config.Token, (await Daemon.RunAsync("auth", "token")).ShouldSucceed().Stdout.Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Daemon.DataDir, "config.json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Daemon.DataDir, "secrets.key")));
        Assert.True(File.Exists(Path.Combine(Daemon.Root, "xdg", "hangar", "config.json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(Daemon.DataDir, "s3")));
    }

    [Fact]
    public async Task Logs_show_the_daemon_and_a_process_by_name()
    {
        Assert.Contains("daemon ready", (await Daemon.RunAsync("logs")).ShouldSucceed().Stdout, StringComparison.Ordinal);
        (await Daemon.RunAsync("logs", "-a", "etcd", "-n", "5")).ShouldSucceed();
        (await Daemon.RunAsync("logs", "-a", "nothing-by-this-name")).ShouldFailWith("not found");
    }

    [Fact]
    public async Task A_second_daemon_on_the_same_data_dir_is_refused()
    {
        var start = new System.Diagnostics.ProcessStartInfo(HangarDaemon.Binary, ["up", "--data-dir", Daemon.DataDir, "--api-listen", "127.0.0.1:0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(Daemon.Root, "xdg2");
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        new CliResult(process.ExitCode, await process.StandardOutput.ReadToEndAsync(), stderr).ShouldFailWith("another hangar daemon is running");
    }

    [Fact]
    public async Task Up_refuses_a_data_dir_the_service_users_cannot_reach()
    {
        var closed = Path.Combine(Daemon.Root, "closed");
        Directory.CreateDirectory(closed);
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        (await Daemon.RunAsync("up", "--data-dir", Path.Combine(closed, "data"))).ShouldFailWith($"which other users cannot enter (mode 700)");
    }

    [Fact]
    public async Task Up_rejects_bad_options()
    {
        (await Daemon.RunAsync("up", "--data-dir", Path.Combine(Daemon.Root, "other"), "--api-listen", "nowhere")).ShouldFailWith("invalid --api-listen 'nowhere'");
        (await Daemon.RunAsync("up", "--data-dir", Path.Combine(Daemon.Root, "other"), "--region", "Bad Region")).ShouldFailWith("invalid region name 'Bad Region'");
        (await Daemon.RunAsync("up", "--data-dir", Path.Combine(Daemon.Root, "other"), "--etcd", "ftp://x")).ShouldFailWith("invalid --etcd URL 'ftp://x'");
        (await Daemon.RunAsync("up", "--data-dir", Path.Combine(Daemon.Root, "other"), "--port-range", "80-90")).ShouldFailWith("invalid --port-range '80-90'");
        (await Daemon.RunAsync("up", "--data-dir", Path.Combine(Daemon.Root, "other"), "--s3-https-listen", "bogus")).ShouldFailWith("invalid --s3-https-listen 'bogus': expected IP:PORT with a fixed port, for example 127.0.0.1:4281, or off");
        (await Daemon.RunAsync("up", "--data-dir", Path.Combine(Daemon.Root, "other"), "--s3-https-listen", "off", "--s3-cert", "/etc/hostname", "--s3-key", "/etc/hostname")).ShouldFailWith("--s3-cert needs HTTPS on");
        Assert.False(File.Exists(Path.Combine(Daemon.Root, "other", "ca.key")), "a refused start made a CA");
    }
}
