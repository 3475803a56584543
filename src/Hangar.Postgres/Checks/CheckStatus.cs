namespace Hangar.Postgres.Checks;

/// <summary>Ordered by severity, so the worst item of a check is the maximum.</summary>
public enum CheckStatus
{
    Passing = 0,
    Warning = 1,
    Critical = 2,
}
