using Amazon.S3.Model;
using Hangar.FunctionalTests.Infrastructure;
using Hangar.FunctionalTests.Storage;
using Npgsql;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// The off-site repository (`hangar up --backup-s3`) against a second, separate S3 server over HTTPS with its own CA:
/// WAL and backups land in both repositories, and the off-site one alone restores the cluster once the local
/// repository's objects are gone.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOffsiteBackupTests(OffsiteBackupCluster cluster) : IClassFixture<OffsiteBackupCluster>
{
    private HangarDaemon Hangar => cluster.Hangar;

    [Fact]
    public async Task The_offsite_repository_alone_restores_the_cluster_after_the_local_repository_is_emptied()
    {
        await Pg.ExecAsync(cluster.Url, "CREATE TABLE kept (id int PRIMARY KEY); INSERT INTO kept SELECT generate_series(1, 100)");
        var made = await Hangar.JsonAsync("postgres", "backup", "create", "-a", OffsiteBackupCluster.Name, "--type", "incr");
        Assert.Equal("incr", made.GetProperty("backup").GetProperty("type").GetString());

        var list = await cluster.ListAsync();
        Assert.Equal($"{cluster.Offsite.HttpsUrl}/{OffsiteS3Server.Bucket}/hangar/{OffsiteBackupCluster.Name}", list.GetProperty("offsite").GetString());
        var repositories = list.GetProperty("backups").EnumerateArray().Select(b => (b.GetProperty("repository").GetString(), b.GetProperty("type").GetString())).ToList();
        Assert.Contains(("local", "incr"), repositories);
        Assert.Contains(("offsite", "incr"), repositories);

        // The off-site secret is only in the nodes' configs, owner-only, and in no output.
        var configs = Directory.GetFiles(Hangar.DataDir, "pgbackrest.conf", SearchOption.AllDirectories);
        Assert.NotEmpty(configs);
        foreach (var config in configs)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
            Assert.Contains($"repo2-path=/hangar/{OffsiteBackupCluster.Name}\n", await File.ReadAllTextAsync(config), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(cluster.Offsite.SecretKey, (await Hangar.RunAsync("postgres", "backup", "list", "-a", OffsiteBackupCluster.Name)).ShouldSucceed().Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(cluster.Offsite.SecretKey, await File.ReadAllTextAsync(Path.Combine(Hangar.Root, "daemon-stdout.log")), StringComparison.Ordinal);

        // The local repository loses everything (the machine's disk, as far as backups go).
        var settings = (await File.ReadAllLinesAsync(configs[0])).Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        using (var local = AppEnvironment.Client(settings["repo1-s3-key"], settings["repo1-s3-key-secret"], Hangar.S3Url, "auto"))
        {
            var bucket = "hangar-pg-" + OffsiteBackupCluster.Name;
            var deleted = 0;
            while ((await local.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects is { Count: > 0 } objects)
            {
                foreach (var o in objects)
                {
                    await local.DeleteObjectAsync(bucket, o.Key);
                    deleted++;
                }
            }

            Assert.True(deleted > 0, "the local repository held nothing to delete");
        }

        var restored = (await Hangar.JsonAsync("postgres", "backup", "restore", "-a", OffsiteBackupCluster.Name, "from-offsite", "--repo", "offsite"));
        var restoredUrl = restored.GetProperty("connectionString").GetString()!;
        try
        {
            await using var connection = new NpgsqlConnection(Pg.Npgsql(restoredUrl));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*), sum(id) FROM kept", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(100, reader.GetInt64(0));
            Assert.Equal(5050, reader.GetInt64(1));
        }
        finally
        {
            (await Hangar.RunAsync("postgres", "destroy", "from-offsite", "--yes")).ShouldSucceed();
        }
    }

    [Fact]
    public async Task Bad_backup_s3_flags_and_repo_are_one_line_and_start_nothing()
    {
        var other = Path.Combine(Hangar.Root, "other");
        Task<CliResult> Up(params string[] flags) => Hangar.RunAsync(["up", "--data-dir", other, .. flags]);
        string[] good = ["--backup-s3-key", "AK", "--backup-s3-secret", "s3cr3t-value"];

        (await Up(["--backup-s3", "http://127.0.0.1:9000", .. good])).ShouldFailWith("invalid --backup-s3 'http://127.0.0.1:9000': pgBackRest speaks only HTTPS to S3, use https://127.0.0.1:9000");
        (await Up(["--backup-s3", "not a url", .. good])).ShouldFailWith("invalid --backup-s3 'not a url': expected https://HOST[:PORT]");
        (await Up(["--backup-s3", "https://s3.example.com/bucket", .. good])).ShouldFailWith("expected https://HOST[:PORT] only (the bucket goes in --backup-s3-bucket");
        (await Up("--backup-s3", "https://s3.example.com", "--backup-s3-secret", "s3cr3t-value")).ShouldFailWith("--backup-s3 needs --backup-s3-key");
        (await Up("--backup-s3", "https://s3.example.com", "--backup-s3-key", "AK")).ShouldFailWith("--backup-s3 needs --backup-s3-secret");
        (await Up(["--backup-s3", "https://s3.example.com", .. good, "--backup-s3-bucket", "Bad_Bucket"])).ShouldFailWith("invalid --backup-s3-bucket 'Bad_Bucket': 3-63 lowercase letters");
        (await Up(["--backup-s3", "https://s3.example.com", .. good, "--backup-s3-region", "us east"])).ShouldFailWith("invalid --backup-s3-region 'us east'");
        (await Up(["--backup-s3", "https://s3.example.com", .. good, "--backup-s3-ca-file", "/nonexistent/ca.pem"])).ShouldFailWith("invalid --backup-s3-ca-file '/nonexistent/ca.pem': expected a readable PEM file");
        (await Up(["--backup-s3", "https://s3.example.com", .. good, "--backup-s3-ca-file", "/etc/hostname"])).ShouldFailWith("invalid --backup-s3-ca-file '/etc/hostname'");
        (await Up("--backup-s3-key", "AK")).ShouldFailWith("--backup-s3-key needs --backup-s3 URL");
        var secretShown = await Up("--backup-s3", "https://s3.example.com", "--backup-s3-key", "AK", "--backup-s3-secret", "two words");
        Assert.DoesNotContain("two words", secretShown.ShouldFailWith("invalid --backup-s3-secret: 1-256 printable characters without spaces").Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(other), "a refused `hangar up` made its data dir");

        (await Hangar.RunAsync("postgres", "backup", "restore", "-a", OffsiteBackupCluster.Name, "bad-repo", "--repo", "elsewhere")).ShouldFailWith("invalid --repo 'elsewhere': local or offsite");
        Assert.DoesNotContain("bad-repo", (await Hangar.RunAsync("postgres", "list")).ShouldSucceed().Stdout, StringComparison.Ordinal);
    }
}
