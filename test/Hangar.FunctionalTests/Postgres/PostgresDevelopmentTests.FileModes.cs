using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// Another Unix user on the host (FAULTS.md, "local users"): the data dir of a daemon running a Postgres cluster, a
/// Redis instance and a bucket, with a snapshot taken, must give that user nothing — a readable snapshot or
/// patroni.json is the superuser's password, and with it a shell as postgres (COPY ... TO PROGRAM).
/// Shares the development cluster's daemon so it costs no extra bootstrap.
/// </summary>
public sealed partial class PostgresDevelopmentTests
{
    private const UnixFileMode OthersAny = UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    [Fact]
    public async Task No_file_of_the_data_dir_is_readable_or_writable_by_another_user_and_snapshots_hold_no_credentials()
    {
        (await Hangar.RunAsync("redis", "create", "--name", "modes-cache", "--maxmemory", "16")).ShouldSucceed();
        (await Hangar.RunAsync("storage", "create", "--name", "modes-bucket")).ShouldSucceed();
        var volume = cluster.Status.GetProperty("nodes")[0].GetProperty("volumeId").GetString()!;
        var snapshot = (await Hangar.JsonAsync("volumes", "snapshots", "create", volume)).GetProperty("id").GetString()!;
        var archive = Path.Combine(Hangar.DataDir, "snapshots", snapshot + ".tar.gz");
        var patroniJson = Path.Combine(Hangar.DataDir, "volumes", volume, "patroni.json");
        Assert.True(File.Exists(archive) && File.Exists(patroniJson), "the archive and the node's patroni.json exist");

        // Every entry of the data dir, as the kernel would judge another user: a file that user can reach (every
        // directory above it searchable by others) must not be readable or writable by them, nor a directory listable.
        var exposed = new List<string>();
        Walk(Hangar.DataDir, ReachableByOthers(Hangar.DataDir), exposed);
        Assert.True(exposed.Count == 0, "open to other users:\n" + string.Join('\n', exposed));

        // And strictly, wherever they sit: every credential file and everything under snapshots/ is its owner's alone.
        var strict = Directory.EnumerateFiles(Hangar.DataDir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Where(file => IsCredential(file) || file.StartsWith(Path.Combine(Hangar.DataDir, "snapshots") + "/", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(archive, strict);
        Assert.Contains(Path.Combine(Hangar.DataDir, "redis", "modes-cache", "users.acl"), strict);
        Assert.All(strict, file => Assert.True(
            (File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | OthersAny)) == 0,
            $"{file} is {Convert.ToString((int)File.GetUnixFileMode(file), 8)}"));

        // The attack itself, as nobody: read the archive and patroni.json, list the snapshots.
        foreach (var target in new[] { archive, patroniJson })
        {
            var (code, error) = await AsNobodyAsync("cat", target);
            Assert.True(code != 0 && error.Contains("Permission denied", StringComparison.Ordinal), $"nobody could read {target}: exit {code} {error}");
        }

        var listing = await AsNobodyAsync("ls", Path.Combine(Hangar.DataDir, "snapshots"));
        Assert.True(listing.Code != 0, "nobody could list snapshots/");

        // Not even root's copy of a snapshot carries the node's credentials: a restore gets new ones anyway.
        var names = new List<string>();
        await using (var file = File.OpenRead(archive))
        await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        await using (var reader = new TarReader(gzip))
        {
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                names.Add(entry.Name.TrimStart('.', '/'));
            }
        }

        Assert.Contains("data/PG_VERSION", names);
        Assert.DoesNotContain(names, name => name is "patroni.json" or "pgpass" or "post-bootstrap.sql" or "tls/server.key" || name.EndsWith(".tmp", StringComparison.Ordinal));

        (await Hangar.RunAsync("redis", "destroy", "modes-cache", "--yes")).ShouldSucceed();
        (await Hangar.RunAsync("storage", "destroy", "modes-bucket", "--yes")).ShouldSucceed();
    }

    private static void Walk(string directory, bool reachable, List<string> exposed)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }))
        {
            var mode = entry.UnixFileMode;
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            if (entry is DirectoryInfo sub)
            {
                if (reachable && (mode & OthersAny) != 0)
                {
                    exposed.Add($"{Convert.ToString((int)mode, 8)} {sub.FullName}/");
                }

                Walk(sub.FullName, reachable && mode.HasFlag(UnixFileMode.OtherExecute), exposed);
            }
            else if (reachable && (mode & OthersAny) != 0 && !IsPublicCertificate(entry.FullName, mode))
            {
                exposed.Add($"{Convert.ToString((int)mode, 8)} {entry.FullName}");
            }
        }
    }

    /// <summary>Whether another user can search every directory from / down to <paramref name="path"/> and the path itself.</summary>
    private static bool ReachableByOthers(string path)
    {
        for (var dir = path; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (!File.GetUnixFileMode(dir).HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The platform CA's certificate is meant for everyone (apps verify servers with it): readable, never writable.</summary>
    private static bool IsPublicCertificate(string path, UnixFileMode mode) =>
        Path.GetFileName(path) == "ca.crt" && (mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0;

    /// <summary>Files that hold a password, key or token, or say where the servers listen.</summary>
    private static bool IsCredential(string path) => Path.GetFileName(path) is
        "patroni.json" or "pgpass" or "post-bootstrap.sql" or "server.key" or "users.acl" or "redis.conf"
        or "config.json" or "secrets.key" or "s3-admin.token" or "proxy.json" or "ca.key" or "s3-tls.key" or "platform.key";

    private static async Task<(int Code, string Error)> AsNobodyAsync(string program, string argument)
    {
        var start = new ProcessStartInfo("/usr/bin/setpriv") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "--reuid", "nobody", "--regid", "nogroup", "--clear-groups", program, argument })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await output;
        return (process.ExitCode, error);
    }
}
