namespace Hangar.FunctionalTests.Infrastructure;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public CliResult ShouldSucceed()
    {
        Xunit.Assert.True(ExitCode == 0, $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        return this;
    }

    /// <summary>Asserts a one-line failure and returns that line.</summary>
    public string Fails()
    {
        Xunit.Assert.True(ExitCode != 0, $"expected a failure; stdout: {Stdout}");
        var line = Xunit.Assert.Single(Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Xunit.Assert.StartsWith("Error: ", line, StringComparison.Ordinal);
        return line;
    }

    /// <summary>A failed command prints exactly one line, "Error: ...", and exits non-zero.</summary>
    public CliResult ShouldFailWith(string fragment)
    {
        Xunit.Assert.Contains(fragment, Fails(), StringComparison.Ordinal);
        return this;
    }
}
