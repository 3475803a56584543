using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Hangar.Core.Resources;
using Hangar.Core.Tls;
using Hangar.Supervision;

namespace Hangar.Daemon.Hosting;

/// <summary>
/// The S3 server this daemon runs as its supervised process "s3": the `hangar` binary in its hidden `__s3-server` mode,
/// data in DATA/s3, managed through its admin API with the bearer token in DATA/s3-admin.token (0600, made on first start).
/// Its own process, so a kill -9 of the daemon interrupts no transfer; the next daemon adopts it.
/// </summary>
internal sealed class EmbeddedS3
{
    public const string ServerCommand = "__s3-server";

    private readonly DaemonOptions _options;
    private readonly DataDirectory _data;
    private readonly CertificateAuthority _authority;
    private readonly TimeProvider _time;

    public EmbeddedS3(DaemonOptions options, DataDirectory data, CertificateAuthority authority, TimeProvider time)
    {
        _options = options;
        _data = data;
        _authority = authority;
        _time = time;
        DataDir = data.S3;
        TokenFile = data.S3AdminToken;
        Listen = DaemonHost.ParseListen(options.S3Listen);
        AdminUrl = new Uri($"http://{HostOf(Listen.Host, "127.0.0.1")}:{Listen.Port}/");
        EndpointUrl = $"http://{HostOf(Listen.Host, options.AdvertiseAddress)}:{Listen.Port}";
        if (options.S3HttpsListen is { } https)
        {
            HttpsListen = DaemonHost.ParseListen(https);
            HttpsEndpointUrl = $"https://{HostOf(HttpsListen.Value.Host, options.AdvertiseAddress)}:{HttpsListen.Value.Port}";
        }
    }

    public (IPAddress Host, int Port)? HttpsListen { get; }

    public string DataDir { get; }

    public string TokenFile { get; }

    public (IPAddress Host, int Port) Listen { get; }

    /// <summary>Where the daemon reaches the admin API (plain HTTP on loopback when the server listens on any address).</summary>
    public Uri AdminUrl { get; }

    /// <summary>AWS_ENDPOINT_URL_S3 for apps.</summary>
    public string EndpointUrl { get; }

    public string? HttpsEndpointUrl { get; }

    /// <summary>The CA file apps verify the HTTPS endpoint with; null without HTTPS or with a certificate of the operator's own.</summary>
    public string? CaBundle => HttpsListen is not null && _options.S3CertFile is null ? _data.CaCertificate : null;

    /// <summary>
    /// AWS_REGION for apps and the S3 server's own region. Not the host's region name ("local"): SDKs
    /// sign SigV4 for whatever region they are given, and "auto" is what Tigris hands out and what
    /// clients treat as a real region. The server checks each signature against the region in its
    /// credential scope, so clients that fall back to us-east-1 work too.
    /// </summary>
    public const string SigningRegion = "auto";

    public string Region => SigningRegion;

    /// <summary>The admin token, created on first start; the file is the only copy.</summary>
    public string Token()
    {
        if (!File.Exists(TokenFile))
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
            using (var writer = new StreamWriter(new FileStream(TokenFile + ".tmp", options)))
            {
                writer.Write(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
            }

            File.Move(TokenFile + ".tmp", TokenFile);
        }

        return File.ReadAllText(TokenFile).Trim();
    }

    public HttpClient CreateAdminHttp()
    {
        var http = new HttpClient { BaseAddress = AdminUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        return http;
    }

    public ProcessSpec Spec(HttpClient admin)
    {
        Directory.CreateDirectory(DataDir);

        // Object bodies and the catalog are nobody else's business on this host.
        File.SetUnixFileMode(DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var arguments = new List<string> { ServerCommand, "--data-dir", DataDir, "--listen", _options.S3Listen, "--admin-token-file", TokenFile, "--metrics-token-file", _data.MetricsToken, "--domain", _options.S3Domain, "--region", SigningRegion };
        if (_options.S3MinFreeMb is { } minFree)
        {
            arguments.AddRange(["--min-free-bytes", (minFree * 1024L * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        if (_options.S3HttpsListen is { } https)
        {
            arguments.AddRange(["--https-listen", https]);
        }

        if (_options.S3CertFile is { } cert && _options.S3KeyFile is { } key)
        {
            arguments.AddRange(["--cert", Path.GetFullPath(cert), "--key", Path.GetFullPath(key)]);
        }
        else if (HttpsListen is not null)
        {
            IssueCertificate();
            arguments.AddRange(["--cert", _data.S3Certificate, "--key", _data.S3Key]);
        }

        return new ProcessSpec
        {
            Name = BucketKeys.ProcessName,
            FileName = Environment.ProcessPath ?? throw new InvalidOperationException("the path of the hangar executable is unknown"),
            Arguments = arguments,
            WorkingDirectory = DataDir,

            // Identity: this data dir's S3 server, not another daemon's.
            IdentityMarker = DataDir,
            Readiness = async ct =>
            {
                using var response = await admin.GetAsync("_hangar/admin/keys", ct);
                return response.IsSuccessStatusCode;
            },
            StopTimeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>
    /// Every name clients use for the S3 server: path style on localhost, the loopback and advertise addresses, and
    /// virtual-hosted style on BUCKET.{domain}.
    /// </summary>
    public IReadOnlyList<string> CertificateNames()
    {
        var names = new List<string> { _options.S3Domain, "*." + _options.S3Domain, "localhost", "127.0.0.1", "::1", _options.AdvertiseAddress };
        if (HttpsListen is { } listen && !listen.Host.Equals(IPAddress.Any) && !listen.Host.Equals(IPAddress.IPv6Any))
        {
            names.Add(listen.Host.ToString());
        }

        return names;
    }

    /// <summary>
    /// The S3 server's certificate from the platform CA, issued afresh at each start (a signature is cheap, and the
    /// domain or advertise address may have changed). Key before certificate, each renamed into place whole, so the
    /// server never reads a half-written file.
    /// </summary>
    private void IssueCertificate()
    {
        var issued = _authority.Issue(_options.S3Domain, CertificateNames(), _time, addressesAsDnsNamesToo: true);
        CertificateAuthority.WriteFile(_data.S3Key, issued.PrivateKeyPem, secret: true);
        // Only the S3 server (the daemon's user) reads it; clients get it in the handshake and trust ca.crt.
        CertificateAuthority.WriteFile(_data.S3Certificate, issued.CertificatePem, secret: true);
    }

    private static string HostOf(IPAddress listen, string fallback)
    {
        var host = listen.Equals(IPAddress.Any) || listen.Equals(IPAddress.IPv6Any) ? fallback : listen.ToString();
        return host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host;
    }
}
