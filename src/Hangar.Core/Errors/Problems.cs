namespace Hangar.Core.Errors;

/// <summary>Collects every problem with a request so the user learns all of them at once, in one line.</summary>
public sealed class ProblemList
{
    private readonly List<string> _problems = [];

    public void Add(string? problem)
    {
        if (problem is not null)
        {
            _problems.Add(problem);
        }
    }

    public void Check(bool ok, string problem)
    {
        if (!ok)
        {
            _problems.Add(problem);
        }
    }

    /// <summary>Range check with a message naming the value and the allowed range.</summary>
    public void Range(string flag, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            _problems.Add($"invalid {flag} {v}: must be {min}-{max}");
        }
    }

    public void ThrowIfAny()
    {
        if (_problems.Count > 0)
        {
            throw HangarException.Invalid(string.Join("; ", _problems));
        }
    }
}
