namespace Hangar.Postgres.Admin;

/// <param name="RoleCreated">False when the role was left from an earlier, interrupted run of the same attachment.</param>
/// <param name="DatabaseCreated">False when the database was left from an earlier, interrupted run of the same attachment.</param>
public sealed record AttachResult(string Database, string User, bool RoleCreated, bool DatabaseCreated);
