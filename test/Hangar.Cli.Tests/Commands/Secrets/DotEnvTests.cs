using Hangar.Cli.Commands.Secrets;
using Hangar.Core.Errors;
using Xunit;

namespace Hangar.Cli.Tests.Commands.Secrets;

public sealed class DotEnvTests
{
    [Fact]
    public void Parses_the_common_forms()
    {
        var values = DotEnv.Parse("# c\nexport A=1\nB = two \nC='it''s # not a comment'\nD=\"x\\ny \\\"q\\\"\"\nE=\"multi\nline\"\nF=v # comment\n\nG=\n");
        Assert.Equal("1", values["A"]);
        Assert.Equal("two", values["B"]);
        Assert.Equal("it''s # not a comment", values["C"]);
        Assert.Equal("x\ny \"q\"", values["D"]);
        Assert.Equal("multi\nline", values["E"]);
        Assert.Equal("v", values["F"]);
        Assert.Equal(string.Empty, values["G"]);
        Assert.Equal(7, values.Count);
    }

    [Fact]
    public void Bad_lines_name_the_line_not_the_value()
    {
        var error = Assert.Throws<HangarException>(() => DotEnv.Parse("A=1\nsecretvalue\n"));
        Assert.Equal("invalid line 2 in dotenv input: expected NAME=VALUE", error.Message);
        Assert.Throws<HangarException>(() => DotEnv.Parse("A=\"never closed\n"));
    }
}
