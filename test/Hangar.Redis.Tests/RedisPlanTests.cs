using Hangar.Core.Errors;
using Hangar.Core.Resources;

namespace Hangar.Redis.Tests;

public sealed class RedisPlanTests
{
    [Theory]
    [InlineData("aof", RedisPersistence.Aof)]
    [InlineData("RDB", RedisPersistence.Rdb)]
    [InlineData("none", RedisPersistence.None)]
    public void Persistence_choices_parse(string text, RedisPersistence expected)
    {
        var problems = new ProblemList();

        Assert.Equal(expected, RedisPlan.ParsePersistence(text, problems));
        problems.ThrowIfAny();
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once()
    {
        var problems = new ProblemList();
        RedisPlan.CheckMaxMemory(8, problems);
        RedisPlan.ParsePersistence("disk", problems);

        var error = Assert.Throws<HangarException>(problems.ThrowIfAny);

        Assert.Equal("invalid --maxmemory 8: must be 16-65536; invalid --persistence 'disk': must be aof, rdb or none", error.Message);
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(512, 1)]
    [InlineData(513, 2)]
    [InlineData(4096, 8)]
    public void Volume_holds_the_data_twice(int maxMemoryMb, int sizeGb) => Assert.Equal(sizeGb, RedisPlan.VolumeSizeGb(maxMemoryMb));
}
