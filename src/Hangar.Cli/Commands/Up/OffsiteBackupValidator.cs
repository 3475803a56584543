using Hangar.Core.Errors;
using Hangar.Daemon.Hosting;

namespace Hangar.Cli.Commands.Up;

/// <summary>`hangar up --backup-s3 ...`: every value checked before the daemon starts, the secret never echoed.</summary>
internal static class OffsiteBackupValidator
{
    /// <summary>The off-site repository's options, null without --backup-s3; throws naming every bad value at once.</summary>
    public static OffsiteBackupOptions? Parse(string? url, string? key, string? secret, string? bucket, string? region, string? caFile)
    {
        var problems = new ProblemList();
        if (url is null)
        {
            foreach (var (flag, value) in new[] { ("--backup-s3-key", key), ("--backup-s3-secret", secret), ("--backup-s3-bucket", bucket), ("--backup-s3-region", region), ("--backup-s3-ca-file", caFile) })
            {
                problems.Check(value is null, $"{flag} needs --backup-s3 URL (the off-site endpoint)");
            }

            problems.ThrowIfAny();
            return null;
        }

        secret ??= Environment.GetEnvironmentVariable(OffsiteBackupOptions.SecretVariable) is { Length: > 0 } fromEnv ? fromEnv : null;
        var endpoint = Endpoint(problems, url);
        problems.Check(key is not null, "--backup-s3 needs --backup-s3-key (the access key id)");
        problems.Check(key is null || IsToken(key, 128), $"invalid --backup-s3-key {Printable.Quote(key ?? string.Empty)}: 1-128 printable characters without spaces");
        problems.Check(secret is not null, $"--backup-s3 needs --backup-s3-secret (or {OffsiteBackupOptions.SecretVariable} in the environment)");
        // Never echoed: a mistyped secret is still mostly the secret.
        problems.Check(secret is null || IsToken(secret, 256), "invalid --backup-s3-secret: 1-256 printable characters without spaces");
        problems.Check(bucket is null || IsBucket(bucket), $"invalid --backup-s3-bucket {Printable.Quote(bucket ?? string.Empty)}: 3-63 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
        problems.Check(region is null || (region.Length is > 0 and <= 32 && region.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')),
            $"invalid --backup-s3-region {Printable.Quote(region ?? string.Empty)}: 1-32 lowercase letters, digits and '-', e.g. us-east-1");
        if (caFile is not null)
        {
            problems.Check(IsCertificateFile(caFile), $"invalid --backup-s3-ca-file {Printable.Quote(caFile)}: expected a readable PEM file with a CERTIFICATE");
        }

        problems.ThrowIfAny();
        return new OffsiteBackupOptions
        {
            Endpoint = endpoint!,
            AccessKey = key!,
            SecretKey = secret!,
            Bucket = bucket ?? OffsiteBackupOptions.DefaultBucket,
            Region = region ?? OffsiteBackupOptions.DefaultRegion,
            CaFile = caFile is null ? null : Path.GetFullPath(caFile),
        };
    }

    private static Uri? Endpoint(ProblemList problems, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0 || url.Any(char.IsControl))
        {
            problems.Add($"invalid --backup-s3 {Printable.Quote(url)}: expected https://HOST[:PORT]");
            return null;
        }

        if (uri.Scheme == "http")
        {
            problems.Add($"invalid --backup-s3 {Printable.Quote(url)}: pgBackRest speaks only HTTPS to S3, use https://{uri.Authority}");
            return null;
        }

        if (uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            // The key and secret have their own flags; a bucket in the path would be half of a virtual-hosted URL.
            problems.Add($"invalid --backup-s3 {Printable.Quote(url)}: expected https://HOST[:PORT] only (the bucket goes in --backup-s3-bucket, credentials in --backup-s3-key/--backup-s3-secret)");
            return null;
        }

        return uri;
    }

    private static bool IsToken(string value, int max) => value.Length > 0 && value.Length <= max && value.All(c => c is > ' ' and < (char)127);

    private static bool IsBucket(string bucket) =>
        bucket.Length is >= 3 and <= 63 && bucket.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.')
        && char.IsAsciiLetterOrDigit(bucket[0]) && char.IsAsciiLetterOrDigit(bucket[^1]) && !bucket.Contains("..", StringComparison.Ordinal);

    private static bool IsCertificateFile(string path)
    {
        try
        {
            return !path.Any(char.IsControl) && File.Exists(path) && new FileInfo(path).Length < 1024 * 1024
                && File.ReadAllText(path).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
