using System.Text;
using Hangar.ObjectStore.Checksums;

namespace Hangar.ObjectStore.Tests;

public sealed class Crc32Tests
{
    [Theory]
    [InlineData("123456789", "cbf43926", "e3069283")]
    [InlineData("", "00000000", "00000000")]
    [InlineData("The quick brown fox jumps over the lazy dog", "414fa339", "22620404")]
    public void CheckValues_MatchTheStandard(string input, string ieee, string castagnoli)
    {
        var data = Encoding.ASCII.GetBytes(input);
        var a = Crc32.CreateIeee();
        a.Append(data);
        Assert.Equal(ieee, Convert.ToHexStringLower(a.GetHashAndReset()));
        var c = Crc32.CreateCastagnoli();
        // Split appends must give the same result as one append (exercises the 8-byte and tail paths).
        c.Append(data.AsSpan(0, data.Length / 3));
        c.Append(data.AsSpan(data.Length / 3));
        Assert.Equal(castagnoli, Convert.ToHexStringLower(c.GetHashAndReset()));
    }
}
