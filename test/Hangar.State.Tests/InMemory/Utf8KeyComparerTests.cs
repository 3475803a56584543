using Hangar.State.InMemory;

namespace Hangar.State.Tests.InMemory;

public sealed class Utf8KeyComparerTests
{
    [Theory]
    [InlineData("a", "b")]
    [InlineData("a", "a/")]
    [InlineData("a/", "a0")]
    [InlineData("\uFFFD", "😀")]
    [InlineData("", "a")]
    public void Compare_OrdersByUtf8Bytes(string smaller, string larger)
    {
        Assert.True(Utf8KeyComparer.Instance.Compare(smaller, larger) < 0);
        Assert.True(Utf8KeyComparer.Instance.Compare(larger, smaller) > 0);
        Assert.Equal(0, Utf8KeyComparer.Instance.Compare(smaller, new string(smaller)));
    }
}
