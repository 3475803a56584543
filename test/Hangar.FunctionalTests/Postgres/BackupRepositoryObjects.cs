using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Hangar.FunctionalTests.Infrastructure;
using Hangar.FunctionalTests.Storage;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// A cluster's pgBackRest repository seen as objects of its system bucket, through the bucket's own key (read from a
/// node's pgbackrest.conf, as a damaged or tampered-with repository would be reached), over the S3 server's HTTP listener.
/// </summary>
internal sealed class BackupRepositoryObjects : IDisposable
{
    private readonly AmazonS3Client _s3;

    private BackupRepositoryObjects(AmazonS3Client s3, string bucket)
    {
        _s3 = s3;
        Bucket = bucket;
    }

    public string Bucket { get; }

    public static BackupRepositoryObjects Open(HangarDaemon hangar, string cluster) => OpenConfig(hangar, NodeConfig(hangar, cluster));

    /// <summary>The local repository a given pgbackrest.conf names.</summary>
    public static BackupRepositoryObjects OpenConfig(HangarDaemon hangar, string conf)
    {
        var values = File.ReadAllLines(conf).Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
        var s3 = AppEnvironment.Client(values["repo1-s3-key"], values["repo1-s3-key-secret"], hangar.S3Url, values["repo1-s3-region"]);
        return new BackupRepositoryObjects(s3, values["repo1-s3-bucket"]);
    }

    /// <summary>The archived copy of WAL segment <paramref name="segment"/> (pgBackRest names it SEGMENT-SHA1.EXT).</summary>
    public async Task<string?> FindSegmentAsync(string segment)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = "repo/archive/" };
        while (true)
        {
            var listed = await _s3.ListObjectsV2Async(request);
            if ((listed.S3Objects ?? []).FirstOrDefault(o => Path.GetFileName(o.Key).StartsWith(segment + "-", StringComparison.Ordinal)) is { } found)
            {
                return found.Key;
            }

            if (listed.IsTruncated != true)
            {
                return null;
            }

            request.ContinuationToken = listed.NextContinuationToken;
        }
    }

    /// <summary>`pgbackrest check` as the node user: the archive takes a segment now and the stanza is consistent.</summary>
    public static async Task<CliResult> CheckAsync(HangarDaemon hangar, string cluster)
    {
        var start = new ProcessStartInfo("runuser") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-u", "postgres", "--", "pgbackrest", "--config=" + NodeConfig(hangar, cluster), "--stanza=" + cluster, "--log-level-console=warn", "check"])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public Task DeleteAsync(string key) => _s3.DeleteObjectAsync(Bucket, key);

    /// <summary>False once the bucket (or its key) is gone.</summary>
    public async Task<bool> ExistsAsync()
    {
        try
        {
            await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, MaxKeys = 1 });
            return true;
        }
        catch (AmazonS3Exception)
        {
            return false;
        }
    }

    public void Dispose() => _s3.Dispose();

    /// <summary>The pgbackrest.conf of a node of <paramref name="cluster"/> (the first found; a one-node cluster has one).</summary>
    public static string NodeConfig(HangarDaemon hangar, string cluster) =>
        Directory.EnumerateFiles(hangar.DataDir, "pgbackrest.conf", SearchOption.AllDirectories)
            .First(f => File.ReadAllText(f).Contains("[" + cluster + "]", StringComparison.Ordinal));
}
