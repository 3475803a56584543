namespace Hangar.Client.Models;

/// <summary>`mpg users set-role`.</summary>
public sealed record PostgresUserRoleRequest(string Role);
