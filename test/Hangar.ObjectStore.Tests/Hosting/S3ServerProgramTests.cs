namespace Hangar.ObjectStore.Tests.Hosting;

public sealed class S3ServerProgramTests
{
    [Theory]
    [InlineData("-1")]
    [InlineData("1e6")]
    [InlineData("lots")]
    [InlineData("")]
    public void A_min_free_that_is_not_a_whole_number_of_bytes_is_refused(string value)
    {
        Assert.False(S3ServerProgram.TryParse(["--data-dir", "/tmp/x", "--listen", "127.0.0.1:0", "--min-free-bytes", value], out var options, out var error));
        Assert.Null(options);
        Assert.Equal($"--min-free-bytes {value} is not a whole number of bytes (0 or more)", error);
    }

    [Fact]
    public void Min_free_is_optional_and_passed_through()
    {
        Assert.True(S3ServerProgram.TryParse(["--data-dir", "/tmp/x", "--listen", "127.0.0.1:0"], out var defaults, out _));
        Assert.Null(defaults!.MinFreeBytes);
        Assert.True(S3ServerProgram.TryParse(["--data-dir", "/tmp/x", "--listen", "127.0.0.1:0", "--min-free-bytes", "1048576"], out var set, out _));
        Assert.Equal(1048576, set!.MinFreeBytes);
    }
}
