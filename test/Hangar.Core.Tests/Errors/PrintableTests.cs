using Hangar.Core.Errors;
using Xunit;

namespace Hangar.Core.Tests.Errors;

public sealed class PrintableTests
{
    [Theory]
    [InlineData("8MB", "'8MB'")]
    [InlineData("8MB\n", "'8MB\\n'")]
    [InlineData("a\r\tb", "'a\\r\\tb'")]
    [InlineData("back\\slash", "'back\\\\slash'")]
    [InlineData("\u001b[2J", "'\\u001b[2J'")]
    [InlineData("line\u2028sep", "'line\\u2028sep'")]
    [InlineData("", "''")]
    public void A_value_is_quoted_on_one_line(string value, string shown) => Assert.Equal(shown, Printable.Quote(value));

    [Fact]
    public void A_long_value_is_cut_and_its_length_told() =>
        Assert.Equal("'" + new string('x', Printable.MaxShown) + "'... (5000 characters)", Printable.Quote(new string('x', 5000)));
}
