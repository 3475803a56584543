namespace Hangar.Postgres.Admin;

/// <param name="Databases">Databases the role may connect to, as `postgres users list` shows.</param>
/// <param name="Role">schema_admin, writer or reader (`mpg users`), owner (an app's attachment), superuser, or null.</param>
public sealed record UserInfo(string Name, bool Superuser, IReadOnlyList<string> Databases, string? Role);
