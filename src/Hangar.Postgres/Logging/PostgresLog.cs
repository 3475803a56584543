using Microsoft.Extensions.Logging;

namespace Hangar.Postgres.Logging;

/// <summary>Hangar.Postgres log events: ids 4000-4099. Entity names only, never passwords.</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(4000, LogLevel.Information, "Created role {Role} for attachment {AttachmentId} (superuser: {Superuser})")]
    public static partial void RoleCreated(ILogger logger, string role, string attachmentId, bool superuser);

    [LoggerMessage(4001, LogLevel.Information, "Role {Role} already belongs to attachment {AttachmentId}; resuming the attach")]
    public static partial void RoleResumed(ILogger logger, string role, string attachmentId);

    [LoggerMessage(4002, LogLevel.Information, "Created database {Database} owned by {Owner}")]
    public static partial void DatabaseCreated(ILogger logger, string database, string owner);

    [LoggerMessage(4004, LogLevel.Information, "Detached role {Role}: {Sessions} sessions ended, objects in {Databases} databases reassigned to postgres, role dropped")]
    public static partial void Detached(ILogger logger, string role, int sessions, int databases);

    [LoggerMessage(4005, LogLevel.Information, "Detach of role {Role}: role does not exist, nothing to do")]
    public static partial void DetachNothingToDo(ILogger logger, string role);

    [LoggerMessage(4006, LogLevel.Warning, "Check {Check} on {Node} could not run: {Reason}")]
    public static partial void CheckFailed(ILogger logger, string check, string node, string reason);

    [LoggerMessage(4007, LogLevel.Information, "Attach of role {Role} undone: role dropped {RoleDropped}, database {Database} dropped {DatabaseDropped}")]
    public static partial void AttachUndone(ILogger logger, string role, bool roleDropped, string database, bool databaseDropped);

    [LoggerMessage(4008, LogLevel.Warning, "Attach of role {Role} (database {Database}) failed and could not be undone: {Reason}; a re-run of the attach finishes it")]
    public static partial void AttachUndoFailed(ILogger logger, string role, string database, string reason);

    [LoggerMessage(4030, LogLevel.Information, "User {Role} created with role {ManagedRole}")]
    public static partial void UserCreated(ILogger logger, string role, string managedRole);

    [LoggerMessage(4031, LogLevel.Information, "User {Role} now has role {ManagedRole}")]
    public static partial void UserRoleSet(ILogger logger, string role, string managedRole);
}
