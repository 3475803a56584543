using System.Text;
using Hangar.Core.Resources;
using Hangar.Daemon.Postgres;
using Hangar.State;
using Hangar.State.InMemory;
using Xunit;

namespace Hangar.Daemon.Tests.Postgres;

/// <summary>An attachment an older daemon kept twice ends up once, on its key, with the database and role it owns.</summary>
public sealed class PostgresAttachmentMigrationTests
{
    private readonly RecordStore _store = new(new InMemoryStore());

    [Fact]
    public async Task The_cluster_records_copy_moves_onto_the_attachment_keys_and_goes()
    {
        var cluster = Cluster() with
        {
            LegacyAttachments = [new PostgresAttachment("web", "web", "web", "DATABASE_URL"), new PostgresAttachment("web", "web_old", "web_old", "OLD_DATABASE_URL"), new PostgresAttachment("gone", "gone", "gone", "DATABASE_URL")],
        };
        await _store.CreateAsync(PostgresKeys.Cluster("db"), cluster, CancellationToken.None);

        // Keys as an older daemon wrote them: the first before variables were part of the key.
        var created = DateTimeOffset.UnixEpoch;
        await _store.CreateAsync("/hangar/attachments/web/postgres:db", new AttachmentRecord("web", "postgres", "db", ["DATABASE_URL", "PGSSLROOTCERT"], created), CancellationToken.None);
        await _store.CreateAsync(StoreKeys.Attachment("web", "postgres", "db", "OLD_DATABASE_URL"), new AttachmentRecord("web", "postgres", "db", ["OLD_DATABASE_URL"], created), CancellationToken.None);
        await _store.CreateAsync(StoreKeys.Attachment("web", "redis", "db", null), new AttachmentRecord("web", "redis", "db", ["REDIS_URL"], created), CancellationToken.None);

        Assert.Equal(1, await PostgresAttachmentMigration.RunAsync(_store, CancellationToken.None));

        var attachments = (await _store.ListAsync<AttachmentRecord>(StoreKeys.AttachmentsOf("web"), CancellationToken.None)).Select(a => a.Value).ToList();
        Assert.Equal(3, attachments.Count);
        Assert.Contains(attachments, a => a.Kind == "postgres" && a.Variables.Contains("DATABASE_URL") && a is { Database: "web", User: "web" });
        Assert.Contains(attachments, a => a.Kind == "postgres" && a.Variables.Contains("OLD_DATABASE_URL") && a is { Database: "web_old", User: "web_old" });
        Assert.Contains(attachments, a => a.Kind == "redis" && a is { Database: null, User: null });

        var raw = Encoding.UTF8.GetString((await _store.Inner.GetAsync(PostgresKeys.Cluster("db"), CancellationToken.None))!.Value);
        Assert.DoesNotContain("attachments", raw, StringComparison.Ordinal);

        // Nothing left to move: a second start changes nothing.
        Assert.Equal(0, await PostgresAttachmentMigration.RunAsync(_store, CancellationToken.None));
    }

    [Fact]
    public async Task A_cluster_written_by_this_daemon_has_no_attachments_in_its_record()
    {
        await _store.CreateAsync(PostgresKeys.Cluster("db"), Cluster(), CancellationToken.None);
        var raw = Encoding.UTF8.GetString((await _store.Inner.GetAsync(PostgresKeys.Cluster("db"), CancellationToken.None))!.Value);
        Assert.DoesNotContain("attachments", raw, StringComparison.Ordinal);
        Assert.Equal(0, await PostgresAttachmentMigration.RunAsync(_store, CancellationToken.None));
    }

    private static PostgresRecord Cluster() => new()
    {
        Name = "db",
        Region = "local",
        CreatedAt = DateTimeOffset.UnixEpoch,
        Preset = "development",
        NodeCount = 1,
        VolumeSizeGb = 1,
        Synchronous = false,
        CredentialsCiphertext = "-",
        CertificateCiphertext = "-",
    };
}
