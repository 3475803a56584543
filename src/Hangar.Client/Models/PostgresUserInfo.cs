namespace Hangar.Client.Models;

public sealed record PostgresUserInfo(string Name, bool Superuser, IReadOnlyList<string> Databases);
