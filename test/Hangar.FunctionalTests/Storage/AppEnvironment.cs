using Amazon.Runtime;
using Amazon.S3;
using Hangar.FunctionalTests.Infrastructure;

namespace Hangar.FunctionalTests.Storage;

/// <summary>An app's environment as `hangar run -a APP -- printenv` shows it, and an S3 client built from it alone.</summary>
public sealed class AppEnvironment(IReadOnlyDictionary<string, string> values)
{
    public string this[string name] => values[name];

    public bool Has(string name) => values.ContainsKey(name);

    public static async Task<AppEnvironment> ReadAsync(HangarDaemon hangar, string app)
    {
        var printed = (await hangar.RunAsync("run", "-a", app, "--", "printenv")).ShouldSucceed().Stdout;
        return new AppEnvironment(printed.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0])
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal));
    }

    public AmazonS3Client S3Client() => Client(this["AWS_ACCESS_KEY_ID"], this["AWS_SECRET_ACCESS_KEY"], this["AWS_ENDPOINT_URL_S3"], this["AWS_REGION"]);

    public static AmazonS3Client Client(string key, string secret, string endpoint, string region) =>
        new(new BasicAWSCredentials(key, secret), new AmazonS3Config
        {
            ServiceURL = endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = region,
            MaxErrorRetry = 0,
        });
}
