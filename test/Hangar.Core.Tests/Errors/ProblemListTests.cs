using Hangar.Core.Errors;
using Xunit;

namespace Hangar.Core.Tests.Errors;

public sealed class ProblemListTests
{
    [Fact]
    public void Every_problem_is_reported_at_once_in_one_line()
    {
        var problems = new ProblemList();
        problems.Range("--size", 0, 1, 500);
        problems.Range("--count", 3, 1, 5);
        problems.Check(false, "second");
        problems.Add(null);
        var error = Assert.Throws<HangarException>(problems.ThrowIfAny);
        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Equal("invalid --size 0: must be 1-500; second", error.Message);
    }

    [Fact]
    public void No_problem_no_throw() => new ProblemList().ThrowIfAny();

    [Theory]
    [InlineData(ErrorCodes.InvalidArgument, 400)]
    [InlineData(ErrorCodes.NotFound, 404)]
    [InlineData(ErrorCodes.AlreadyExists, 409)]
    [InlineData(ErrorCodes.Unauthorized, 401)]
    [InlineData(ErrorCodes.FailedPrecondition, 412)]
    [InlineData("anything-else", 500)]
    public void Codes_map_to_http_statuses(string code, int status) => Assert.Equal(status, ErrorCodes.HttpStatus(code));
}
