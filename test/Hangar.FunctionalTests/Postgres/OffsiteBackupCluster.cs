using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// A separate S3 server (<see cref="OffsiteS3Server"/>), one daemon started with --backup-s3 pointing at it, and a
/// development cluster "src" with backups on, its first full backup in both repositories.
/// </summary>
public sealed class OffsiteBackupCluster : IAsyncLifetime
{
    public const string Name = "src";

    public OffsiteS3Server Offsite { get; private set; } = null!;

    public HangarDaemon Hangar { get; private set; } = null!;

    public string Url { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Offsite = await OffsiteS3Server.StartAsync();
        Hangar = new HangarDaemon(
            "--backup-s3", Offsite.HttpsUrl, "--backup-s3-key", OffsiteS3Server.AccessKey, "--backup-s3-secret", Offsite.SecretKey,
            "--backup-s3-bucket", OffsiteS3Server.Bucket, "--backup-s3-region", "auto", "--backup-s3-ca-file", Offsite.CaFile);
        await Hangar.StartAsync();
        var created = await Hangar.JsonAsync("postgres", "create", "--name", Name, "--enable-backups");
        Url = created.GetProperty("connectionString").GetString()!;
        await Poll.UntilAsync(async () => (await ListAsync()).GetProperty("backups").EnumerateArray().Any(b => b.GetProperty("repository").GetString() == "offsite"),
            TimeSpan.FromMinutes(3), "the first full backup in the off-site repository");
    }

    public async Task<JsonElement> ListAsync()
    {
        var result = await Hangar.RunAsync("postgres", "backup", "list", "-a", Name, "--json");
        return result.ExitCode == 0 ? JsonDocument.Parse(result.Stdout).RootElement.Clone() : JsonDocument.Parse("""{"backups":[]}""").RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        if (Hangar is not null)
        {
            await Hangar.DisposeAsync();
        }

        if (Offsite is not null)
        {
            await Offsite.DisposeAsync();
        }
    }
}
