namespace Hangar.Client.Models;

/// <param name="Role">schema_admin, writer or reader (`mpg users`), owner (an app's attachment), superuser, or null.</param>
public sealed record PostgresUserInfo(string Name, bool Superuser, IReadOnlyList<string> Databases, string? Role = null);
