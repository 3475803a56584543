using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Hangar.FunctionalTests.Infrastructure;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// A second, separate S3 server process standing for an external provider: Hangar's own server (`hangar __s3-server`)
/// on its own data dir and ports, HTTPS with a certificate signed by a test CA that is not the daemon's platform CA,
/// one owner key and one bucket made through its admin API.
/// </summary>
public sealed class OffsiteS3Server : IAsyncDisposable
{
    public const string Bucket = "offsite";
    public const string AccessKey = "OFFSITEKEY0000000001";

    private readonly int _httpPort = FreePorts.Next();
    private readonly int _httpsPort = FreePorts.Next();
    private Process? _process;

    private OffsiteS3Server(string root) => Root = root;

    public string Root { get; }

    public string SecretKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public string CaFile => Path.Combine(Root, "test-ca.crt");

    public string HttpsUrl => $"https://127.0.0.1:{_httpsPort}";

    /// <summary>Plain HTTP, for the admin API and for the test's own look at the bucket.</summary>
    public string HttpUrl => $"http://127.0.0.1:{_httpPort}";

    public static async Task<OffsiteS3Server> StartAsync()
    {
        var server = new OffsiteS3Server(Directory.CreateTempSubdirectory("hangar-offsite-").FullName);
        await server.StartProcessAsync();
        return server;
    }

    private async Task StartProcessAsync()
    {
        using (var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        using (var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var caRequest = new CertificateRequest("CN=Offsite Test CA", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            // pgBackRest 2.45 matches the host only against the CN and DNS names, not IP addresses.
            names.AddDnsName("127.0.0.1");
            leafRequest.CertificateExtensions.Add(names.Build());
            leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            using var leaf = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));
            await File.WriteAllTextAsync(CaFile, ca.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(Root, "s3.crt"), leaf.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(Root, "s3.key"), leafKey.ExportPkcs8PrivateKeyPem());
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await File.WriteAllTextAsync(Path.Combine(Root, "admin.token"), token);
        var start = new ProcessStartInfo(HangarDaemon.Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["__s3-server", "--data-dir", Path.Combine(Root, "data"), "--listen", $"127.0.0.1:{_httpPort}", "--https-listen", $"127.0.0.1:{_httpsPort}",
            "--cert", Path.Combine(Root, "s3.crt"), "--key", Path.Combine(Root, "s3.key"), "--admin-token-file", Path.Combine(Root, "admin.token")])
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _ = _process.StandardError.ReadToEndAsync();
        string? line;
        do
        {
            line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        while (line is not null && !line.StartsWith("hangar s3 ready", StringComparison.Ordinal));

        if (line is null)
        {
            throw new InvalidOperationException($"the off-site S3 server exited with {_process.ExitCode} before it was ready");
        }

        _ = _process.StandardOutput.ReadToEndAsync();
        using var admin = new HttpClient { BaseAddress = new Uri(HttpUrl) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await admin.PutAsync($"/_hangar/admin/keys/{AccessKey}", new StringContent($$"""{"secretKey":"{{SecretKey}}"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        (await admin.PutAsync($"/_hangar/admin/buckets/{Bucket}", new StringContent($$"""{"ownerKeyId":"{{AccessKey}}"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            HangarDaemon.Signal(process.Id, "TERM");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
        }

        _process?.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
