using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Tls;

/// <summary>Tests that restart the daemon or change its TLS flags get a daemon of their own.</summary>
public sealed class TlsDaemonTests
{
    [Fact]
    public async Task The_ca_survives_a_restart_and_https_off_issues_no_s3_certificate_and_no_ca_bundle()
    {
        await using var daemon = new HangarDaemon("--s3-https-listen", "off");
        await daemon.StartAsync();
        var first = (await daemon.JsonAsync("certificates", "ca")).GetProperty("fingerprint").GetString();

        (await daemon.RunAsync("apps", "create", "plain")).ShouldSucceed();
        (await daemon.RunAsync("storage", "create", "--name", "plain-files", "-a", "plain")).ShouldSucceed();
        // The secrets, not `run`'s environment: that inherits the caller's, which may have its own AWS_CA_BUNDLE.
        var names = (await daemon.JsonAsync("secrets", "list", "-a", "plain")).EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Contains("AWS_ENDPOINT_URL_S3", names);
        Assert.DoesNotContain("AWS_CA_BUNDLE", names);
        Assert.False(File.Exists(Path.Combine(daemon.DataDir, "s3-tls.key")));

        // The same CA after the restart: what apps were given stays valid.
        await daemon.StopAsync();
        await daemon.StartAsync();
        Assert.Equal(first, (await daemon.JsonAsync("certificates", "ca")).GetProperty("fingerprint").GetString());
    }
}
