namespace Hangar.Postgres.Checks;

/// <summary>One row of `checks list`: name (vm, pg, role), status and Fly-style output lines ("[✓] ...").</summary>
public sealed record CheckResult(string Name, CheckStatus Status, string Output);
