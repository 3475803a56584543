using Hangar.Core.Errors;
using Hangar.Postgres.Config;
using Hangar.Postgres.Logging;
using Npgsql;

namespace Hangar.Postgres.Admin;

/// <summary>
/// `mpg users`: login roles with one of <see cref="ManagedRoles"/>. The grants are on the group roles, in every
/// database and in its public schema, with default privileges for tables and sequences that the database's owner or a
/// schema_admin creates later; a schema_admin's session runs as <c>hangar_schema_admin</c> (ALTER ROLE ... SET role),
/// so what it creates belongs to the group and is covered by one set of default privileges. Everything lives in the
/// catalog, so it holds on whichever node leads.
/// </summary>
public sealed partial class PostgresAdmin
{
    /// <summary>Creates the user with a member of the role's group. Refuses an existing name; makes nothing when it refuses.</summary>
    public async Task CreateUserAsync(string user, string role, string password, CancellationToken cancellationToken)
    {
        var problems = new[] { PostgresNames.ProblemForNew("user", user, _internalRoles), ManagedRoles.Problem(role), ScramVerifier.Problem("password", password) }
            .OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw HangarException.Invalid(string.Join("; ", problems));
        }

        await EnsureRoleGrantsAsync(cancellationToken).ConfigureAwait(false);
        var quoted = PostgresNames.Quote(user);
        var connection = await OpenAsync(null, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (await RoleCommentAsync(connection, user, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new HangarException(ErrorCodes.AlreadyExists, $"database user '{user}' already exists");
            }

            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, $"CREATE ROLE {quoted} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS " +
                    $"PASSWORD {PostgresNames.Literal(ScramVerifier.Compute(password))}", cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, $"COMMENT ON ROLE {quoted} IS {PostgresNames.Literal(ManagedRoles.UserComment)}", cancellationToken).ConfigureAwait(false);
                await SetMembershipAsync(connection, quoted, role, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        PostgresLog.UserCreated(_logger, user, role);
    }

    /// <summary>Moves a user made by `mpg users create` to another role, in one transaction.</summary>
    public async Task SetUserRoleAsync(string user, string role, CancellationToken cancellationToken)
    {
        if (ManagedRoles.Problem(role) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        await EnsureRoleGrantsAsync(cancellationToken).ConfigureAwait(false);
        var connection = await OpenAsync(null, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await RequireManagedUserAsync(connection, user, cancellationToken).ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var quoted = PostgresNames.Quote(user);
                foreach (var other in ManagedRoles.All)
                {
                    await ExecuteAsync(connection, $"REVOKE {PostgresNames.Quote(ManagedRoles.GroupOf(other))} FROM {quoted}", cancellationToken).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, $"ALTER ROLE {quoted} RESET ALL", cancellationToken).ConfigureAwait(false);
                await SetMembershipAsync(connection, quoted, role, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        PostgresLog.UserRoleSet(_logger, user, role);
    }

    /// <summary>Drops a user made by `mpg users create` (its sessions ended, what it owns handed to postgres).</summary>
    public async Task DeleteUserAsync(string user, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(null, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await RequireManagedUserAsync(connection, user, cancellationToken).ConfigureAwait(false);
        }

        await DetachAsync(user, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The group roles and their grants in every database that takes connections (idempotent; run before each user
    /// change, so a database made since is covered from then on). pg_stat_statements is created where it is missing,
    /// and the groups read every statement's statistics (pg_read_all_stats): these users are the cluster's, not one app's.
    /// </summary>
    public async Task EnsureRoleGrantsAsync(CancellationToken cancellationToken)
    {
        var reader = PostgresNames.Quote(ManagedRoles.GroupOf(ManagedRoles.Reader));
        var writer = PostgresNames.Quote(ManagedRoles.GroupOf(ManagedRoles.Writer));
        var admin = PostgresNames.Quote(ManagedRoles.GroupOf(ManagedRoles.SchemaAdmin));
        var databases = new List<(string Name, string Owner)>();
        var connection = await OpenAsync(null, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            foreach (var role in ManagedRoles.All)
            {
                if (await RoleCommentAsync(connection, ManagedRoles.GroupOf(role), cancellationToken).ConfigureAwait(false) is null)
                {
                    // Two concurrent callers may both get here: the loser's duplicate_object is harmless.
                    try
                    {
                        await ExecuteAsync(connection, $"CREATE ROLE {PostgresNames.Quote(ManagedRoles.GroupOf(role))} NOLOGIN", cancellationToken).ConfigureAwait(false);
                    }
                    catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateObject)
                    {
                    }
                }
            }

            await ExecuteAsync(connection, $"GRANT {reader} TO {writer}", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"GRANT {writer} TO {admin}", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"GRANT pg_read_all_stats TO {reader}", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"ALTER ROLE {admin} SET local_preload_libraries = 'pgextwlist'", cancellationToken).ConfigureAwait(false);
            await using var list = new NpgsqlCommand("SELECT datname, pg_get_userbyid(datdba) FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname", connection);
            await using var rows = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                databases.Add((rows.GetString(0), rows.GetString(1)));
            }
        }

        foreach (var (name, owner) in databases)
        {
            var database = PostgresNames.Quote(name);
            var perDatabase = await OpenAsync(name, cancellationToken).ConfigureAwait(false);
            await using (perDatabase.ConfigureAwait(false))
            {
                string[] grants =
                [
                    $"GRANT CONNECT ON DATABASE {database} TO {reader}",
                    $"GRANT CREATE, TEMPORARY ON DATABASE {database} TO {admin}",
                    $"GRANT USAGE ON SCHEMA public TO {reader}",
                    $"GRANT CREATE ON SCHEMA public TO {admin}",
                    $"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}",
                    $"GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {reader}",
                    $"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {writer}",
                    $"GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {writer}",
                    $"GRANT ALL ON ALL TABLES IN SCHEMA public TO {admin}",
                    $"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {admin}",
                    "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
                ];
                foreach (var sql in grants)
                {
                    await ExecuteAsync(perDatabase, sql, cancellationToken).ConfigureAwait(false);
                }

                foreach (var creator in new[] { PostgresNames.Quote(owner), admin }.Distinct(StringComparer.Ordinal))
                {
                    var prefix = $"ALTER DEFAULT PRIVILEGES FOR ROLE {creator} IN SCHEMA public GRANT";
                    await ExecuteAsync(perDatabase, $"{prefix} SELECT ON TABLES TO {reader}", cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(perDatabase, $"{prefix} SELECT ON SEQUENCES TO {reader}", cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(perDatabase, $"{prefix} INSERT, UPDATE, DELETE ON TABLES TO {writer}", cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(perDatabase, $"{prefix} USAGE, UPDATE ON SEQUENCES TO {writer}", cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(perDatabase, $"{prefix} ALL ON TABLES TO {admin}", cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(perDatabase, $"{prefix} ALL ON SEQUENCES TO {admin}", cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Lets <paramref name="user"/> create and drop PostGIS and the other <see cref="ManagedRoles.OwnerExtensions"/>
    /// without being superuser: pgextwlist (loaded for this role's sessions only) runs those statements as superuser.
    /// </summary>
    public async Task AllowOwnerExtensionsAsync(string user, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(null, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await AllowOwnerExtensionsAsync(connection, PostgresNames.Quote(user), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>`--enable-postgis-support`: PostGIS in <paramref name="database"/>, made by the daemon (idempotent).</summary>
    public async Task CreatePostgisAsync(string database, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(database, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, "CREATE EXTENSION IF NOT EXISTS postgis", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task AllowOwnerExtensionsAsync(NpgsqlConnection connection, string quotedRole, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, $"ALTER ROLE {quotedRole} SET local_preload_libraries = 'pgextwlist'", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"ALTER ROLE {quotedRole} SET extwlist.extensions = {PostgresNames.Literal(ManagedRoles.OwnerExtensions)}", cancellationToken).ConfigureAwait(false);
    }

    private static async Task SetMembershipAsync(NpgsqlConnection connection, string quotedUser, string role, CancellationToken cancellationToken)
    {
        var group = PostgresNames.Quote(ManagedRoles.GroupOf(role));
        await ExecuteAsync(connection, $"GRANT {group} TO {quotedUser}", cancellationToken).ConfigureAwait(false);
        if (role == ManagedRoles.SchemaAdmin)
        {
            // What a schema_admin creates belongs to the group, so every schema_admin may alter it and the default
            // privileges for the group cover it.
            await ExecuteAsync(connection, $"ALTER ROLE {quotedUser} SET role = {PostgresNames.Literal(ManagedRoles.GroupOf(role))}", cancellationToken).ConfigureAwait(false);
            await AllowOwnerExtensionsAsync(connection, quotedUser, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RequireManagedUserAsync(NpgsqlConnection connection, string user, CancellationToken cancellationToken)
    {
        if (PostgresNames.Problem("user", user) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        var comment = await RoleCommentAsync(connection, user, cancellationToken).ConfigureAwait(false);
        if (comment is null)
        {
            throw HangarException.NotFound("database user", user);
        }

        if (comment.Value.Comment != ManagedRoles.UserComment || _internalRoles.Contains(user))
        {
            throw HangarException.Precondition($"database user '{user}' was not made by `mpg users create` (an app's user goes with `postgres detach`); only those users can be changed here");
        }
    }
}
