using Hangar.Core.Errors;
using Hangar.Postgres.Backups;
using Xunit;

namespace Hangar.Postgres.Tests.Backups;

public sealed class PgBackRestConfigTests
{
    private static readonly PgBackRestRepository Repository = new()
    {
        Host = "127.0.0.1",
        Port = 4284,
        Bucket = "hangar-pg-db",
        Region = "auto",
        AccessKey = "HKABC",
        SecretKey = "secret",
        CaFile = "/var/lib/hangar/ca.crt",
        RetentionDays = 7,
    };

    private static readonly PgBackRestPaths Paths = PgBackRestPaths.Under("/v/vol_a");

    [Fact]
    public void Render_points_the_repository_at_the_https_listener_with_verification_and_lists_this_node_first()
    {
        var text = PgBackRestConfig.Render("db", [Repository], Paths, [new PgBackRestNode("/v/vol_a/data", 15001, "/s/vol_a"), new PgBackRestNode("/v/vol_b/data", 15003, "/s/vol_b")]);

        foreach (var line in new[]
        {
            "repo1-type=s3", "repo1-s3-endpoint=127.0.0.1", "repo1-storage-port=4284", "repo1-s3-uri-style=path", "repo1-storage-verify-tls=y",
            "repo1-storage-ca-file=/var/lib/hangar/ca.crt", "repo1-s3-bucket=hangar-pg-db", "repo1-retention-full-type=time", "repo1-retention-full=7",
            "archive-async=y", "spool-path=/v/vol_a/pgbackrest/spool", "lock-path=/v/vol_a/pgbackrest/lock", "[db]",
            "pg1-path=/v/vol_a/data", "pg1-port=15001", "pg1-socket-path=/s/vol_a", "pg2-path=/v/vol_b/data", "pg2-port=15003",
        })
        {
            Assert.Contains(line + "\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_puts_an_offsite_repository_as_repo2_under_its_own_prefix_with_the_system_cas_when_no_ca_file_is_given()
    {
        var offsite = Repository with { Host = "s3.example.com", Port = 443, Bucket = "backups", Region = "us-east-1", CaFile = null, Path = "/hangar/db", RetentionDays = 7 };
        var text = PgBackRestConfig.Render("db", [Repository, offsite], Paths, [new PgBackRestNode("/v/vol_a/data", 15001, "/s/vol_a")]);

        foreach (var line in new[]
        {
            "repo1-path=/repo", "repo2-type=s3", "repo2-s3-endpoint=s3.example.com", "repo2-storage-port=443", "repo2-s3-bucket=backups",
            "repo2-s3-region=us-east-1", "repo2-storage-verify-tls=y", "repo2-path=/hangar/db", "repo2-retention-full-type=time", "repo2-retention-full=7",
        })
        {
            Assert.Contains(line + "\n", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("repo2-storage-ca-file", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", offsite.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_refuses_a_value_that_could_break_the_ini_file()
    {
        var ex = Assert.Throws<HangarException>(() => PgBackRestConfig.Render("db", [Repository with { SecretKey = "a\nrepo1-path=/x" }], Paths, [new PgBackRestNode("/d", 1, "/s")]));
        Assert.Contains("repo1-s3-key-secret", ex.Message, StringComparison.Ordinal);
        Assert.Throws<HangarException>(() => PgBackRestConfig.Render("db", [Repository], Paths, []));
        Assert.Throws<HangarException>(() => PgBackRestConfig.Render("DB]", [Repository], Paths, [new PgBackRestNode("/d", 1, "/s")]));
    }

    [Fact]
    public void Archive_commands_name_no_config_each_nodes_environment_does()
    {
        Assert.Equal("/usr/bin/pgbackrest --stanza=db archive-push \"%p\"", PgBackRestConfig.ArchiveCommand("db"));
        Assert.Contains("archive-get %f \"%p\"", PgBackRestConfig.RestoreCommand("db"), StringComparison.Ordinal);
    }
}
