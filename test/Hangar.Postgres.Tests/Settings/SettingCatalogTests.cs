using Hangar.Postgres.Settings;
using Hangar.Postgres.Tests.Infrastructure;

namespace Hangar.Postgres.Tests.Settings;

[Collection(PgClusterCollection.Name)]
public sealed class SettingCatalogTests(PgClusterFixture fixture)
{
    // Nothing listens on port 1: a node that is down.
    private const string Down = "Host=127.0.0.1;Port=1;Username=hangar_admin;Password=x;Database=postgres";

    [Fact]
    public async Task Any_running_node_answers_and_its_rules_are_the_builtin_copy()
    {
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var leader = await fixture.LeaderAsync();
        var replica = fixture.Nodes.First(n => n.Name != leader.Name);
        var names = SettingCatalog.Builtin.Keys.ToList();

        var (specs, fromServer) = await SettingCatalog.LoadAsync([Down, replica.AdminConnectionString()], names, CancellationToken.None);

        Assert.True(fromServer);
        foreach (var name in names)
        {
            var builtin = SettingCatalog.Builtin[name];
            Assert.Equal(builtin with { EnumValues = [] }, specs[name] with { EnumValues = [] });
            Assert.Equal(builtin.EnumValues, specs[name].EnumValues);
        }
    }

    [Fact]
    public async Task With_no_node_answering_the_builtin_rules_decide()
    {
        var (specs, fromServer) = await SettingCatalog.LoadAsync([Down], ["work_mem", "log_statement"], CancellationToken.None);
        Assert.False(fromServer);
        Assert.Equal(SettingCatalog.Builtin["work_mem"], specs["work_mem"]);
        Assert.Equal(SettingCatalog.Builtin["log_statement"], specs["log_statement"]);
    }
}
