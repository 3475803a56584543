namespace Hangar.Client.Models;

/// <summary>`mpg users create`: a login user with one of the roles schema_admin, writer, reader.</summary>
public sealed record PostgresUserCreateRequest(string Username, string Role);
