using Hangar.Postgres.Backups;
using Xunit;

namespace Hangar.Postgres.Tests.Backups;

public sealed class LsnSegmentTests
{
    [Fact]
    public void A_position_names_the_segment_holding_it_and_a_segment_its_start()
    {
        Assert.Equal("000000010000000000000006", Lsn.Parse("0/6000000").SegmentName("00000001"));
        Assert.Equal("000000010000000000000006", Lsn.Parse("0/6FFFFFF").SegmentName("00000001"));
        Assert.Equal("0000000300000001000000FF", Lsn.Parse("1/FF000028").SegmentName("00000003"));
        Assert.Equal(Lsn.Parse("0/9000000"), Lsn.StartOfSegment("000000010000000000000009"));
        Assert.Equal(Lsn.Parse("1/0"), Lsn.StartOfSegment("000000020000000100000000"));
    }
}
