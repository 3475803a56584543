namespace Hangar.Postgres.Admin;

/// <param name="Databases">Databases the role may connect to, as `postgres users list` shows.</param>
public sealed record UserInfo(string Name, bool Superuser, IReadOnlyList<string> Databases);
