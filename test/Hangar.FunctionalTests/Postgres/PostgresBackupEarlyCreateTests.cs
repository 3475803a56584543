using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>A backup asked right after `create --enable-backups`, before the scheduler has set the cluster up.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBackupEarlyCreateTests
{
    [Fact]
    public async Task A_full_backup_asked_right_after_create_with_backups_is_taken()
    {
        await using var hangar = await HangarDaemon.StartNewAsync();
        (await hangar.RunAsync("postgres", "create", "--name", "early", "--enable-backups")).ShouldSucceed();
        var made = await hangar.JsonAsync("postgres", "backup", "create", "-a", "early", "--type", "full");
        Assert.Equal("full", made.GetProperty("backup").GetProperty("type").GetString());
    }
}
