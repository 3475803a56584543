using System.Security.Cryptography;
using Hangar.Daemon.Security;

namespace Hangar.Daemon.Metrics;

/// <summary>
/// A read-only bearer token for scraping: /metrics, /v1/metrics/targets and the S3 server's /_hangar/metrics take it
/// as well as the API token, so a Prometheus (the embedded one, or a user's) never holds the admin token. Kept in
/// DATA/metrics.token (0600), made on first start; `hangar metrics targets --json` does not print it.
/// </summary>
internal sealed class MetricsToken
{
    private readonly ApiToken _token;

    private MetricsToken(string path, string value)
    {
        Path = path;
        _token = new ApiToken(value);
    }

    public string Path { get; }

    public string Value => _token.Value;

    public bool Matches(string? presented) => _token.Matches(presented);

    public static MetricsToken LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
            using (var writer = new StreamWriter(new FileStream(path + ".tmp", options)))
            {
                writer.Write("hgm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
            }

            File.Move(path + ".tmp", path, overwrite: true);
        }

        return new MetricsToken(path, File.ReadAllText(path).Trim());
    }
}
