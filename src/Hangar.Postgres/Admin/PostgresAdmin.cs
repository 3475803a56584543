using Hangar.Core.Errors;
using Hangar.Postgres.Config;
using Hangar.Postgres.Logging;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hangar.Postgres.Admin;

/// <summary>
/// Databases and roles on a cluster, through the admin role on the leader (the daemon points the connection
/// string at the cluster's leader-following port). Every step is idempotent, so a reconciler that crashed
/// half way simply calls the same method again.
/// </summary>
public sealed partial class PostgresAdmin
{
    private const string AttachmentCommentPrefix = "hangar attachment ";

    private readonly NpgsqlConnectionStringBuilder _admin;
    private readonly HashSet<string> _internalRoles;
    private readonly ILogger<PostgresAdmin> _logger;

    public PostgresAdmin(string adminConnectionString, ILogger<PostgresAdmin> logger)
    {
        _admin = new NpgsqlConnectionStringBuilder(adminConnectionString);
        _logger = logger;
        _internalRoles = new HashSet<string>(StringComparer.Ordinal)
        {
            PatroniCredentials.SuperuserName,
            PatroniCredentials.DefaultReplicationUser,
            PatroniCredentials.DefaultAdminUser,
        };
        foreach (var role in ManagedRoles.All)
        {
            _internalRoles.Add(ManagedRoles.GroupOf(role));
        }

        if (_admin.Username is { } adminUser)
        {
            _internalRoles.Add(adminUser);
        }
    }

    /// <summary>`postgres db create`: a database owned by postgres that no app role can reach until attached.</summary>
    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        if (PostgresNames.ProblemForNew("database", name, _internalRoles) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        var connection = await OpenAsync(null, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (await DatabaseOwnerAsync(connection, name, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw HangarException.Exists("database", name);
            }

            await ExecuteAsync(connection, $"CREATE DATABASE {PostgresNames.Quote(name)} OWNER {PostgresNames.Quote(PatroniCredentials.SuperuserName)}", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"REVOKE CONNECT, TEMPORARY ON DATABASE {PostgresNames.Quote(name)} FROM PUBLIC", cancellationToken).ConfigureAwait(false);
            PostgresLog.DatabaseCreated(_logger, name, PatroniCredentials.SuperuserName);
        }
    }

    /// <summary>
    /// `postgres attach`: creates the login role (NOSUPERUSER unless asked) and the database owned by it, and
    /// closes the database to every other non-superuser role. An existing role or database is refused, except
    /// what an interrupted run of the same attachment left behind, which is finished.
    /// </summary>
    public async Task<AttachResult> AttachAsync(AttachRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new[]
        {
            PostgresNames.ProblemForNew("database", request.Database, _internalRoles),
            PostgresNames.ProblemForNew("user", request.User, _internalRoles),
            ScramVerifier.Problem("user", request.Password),
            IsValidAttachmentId(request.AttachmentId) ? null : $"invalid attachment id '{request.AttachmentId}'",
        }.OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw HangarException.Invalid(string.Join("; ", problems));
        }

        var role = PostgresNames.Quote(request.User);
        var database = PostgresNames.Quote(request.Database);
        var marker = AttachmentCommentPrefix + request.AttachmentId;
        var connection = await OpenAsync(null, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // 1. Role. Created with its marker comment in one transaction, so a role without our marker is
            //    someone else's and is never touched.
            var roleCreated = false;
            var existingMarker = await RoleCommentAsync(connection, request.User, cancellationToken).ConfigureAwait(false);
            var attributes = $"LOGIN {(request.Superuser ? "SUPERUSER" : "NOSUPERUSER")} NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS " +
                $"PASSWORD {PostgresNames.Literal(ScramVerifier.Compute(request.Password))}";
            if (existingMarker is null)
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    await ExecuteAsync(connection, $"CREATE ROLE {role} WITH {attributes}", cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, $"COMMENT ON ROLE {role} IS {PostgresNames.Literal(marker)}", cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                roleCreated = true;
                PostgresLog.RoleCreated(_logger, request.User, request.AttachmentId, request.Superuser);
            }
            else if (existingMarker.Value.Exists && existingMarker.Value.Comment == marker)
            {
                await ExecuteAsync(connection, $"ALTER ROLE {role} WITH {attributes}", cancellationToken).ConfigureAwait(false);
                PostgresLog.RoleResumed(_logger, request.User, request.AttachmentId);
            }
            else
            {
                throw new HangarException(ErrorCodes.AlreadyExists, $"database user '{request.User}' already exists");
            }

            // 2. Database: created, or found already owned by this role (a resumed attach). Any other existing
            //    database is refused, including one kept by an earlier detach: its objects belong to postgres
            //    now, and handing a whole database to a new role is an explicit decision, not a side effect.
            var databaseCreated = false;
            try
            {
                var owner = await DatabaseOwnerAsync(connection, request.Database, cancellationToken).ConfigureAwait(false);
                if (owner is null)
                {
                    // Fails when another session uses template1 (55006), or on a full disk: the role goes again below.
                    await ExecuteAsync(connection, $"CREATE DATABASE {database} OWNER {role}", cancellationToken).ConfigureAwait(false);
                    databaseCreated = true;
                    PostgresLog.DatabaseCreated(_logger, request.Database, request.User);
                }
                else if (owner != request.User)
                {
                    throw new HangarException(ErrorCodes.AlreadyExists, $"database '{request.Database}' already exists (owner '{owner}'); choose another database name");
                }

                // 3. Isolation: only the owner (and superusers) may connect.
                await ExecuteAsync(connection, $"REVOKE CONNECT, TEMPORARY ON DATABASE {database} FROM PUBLIC", cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, $"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role}", cancellationToken).ConfigureAwait(false);

                // 4. Query statistics (the library is preloaded on every node). The role sees its own statements'
                // text without pg_read_all_stats, which would also show it every other app's statements on the cluster.
                await CreateStatementStatisticsAsync(request, cancellationToken).ConfigureAwait(false);

                // 5. The owner may create PostGIS itself (pgextwlist); with --enable-postgis-support it is there already.
                await AllowOwnerExtensionsAsync(connection, role, cancellationToken).ConfigureAwait(false);
                if (request.Postgis)
                {
                    await CreatePostgisAsync(request.Database, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or HangarException or OperationCanceledException)
            {
                // A failed attach leaves nothing it made behind; what an earlier attempt made stays for a re-run.
                await UndoAttachAsync(new AttachResult(request.Database, request.User, roleCreated, databaseCreated), CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            return new AttachResult(request.Database, request.User, roleCreated, databaseCreated);
        }
    }

    /// <summary>
    /// pg_stat_statements in the app's database, owned by the app's role. Only a superuser may create it, and one made
    /// by postgres would make the role's own dump unrestorable by another role (pg_dump writes COMMENT ON EXTENSION,
    /// which needs the owner): so it is created as the role, made superuser for that one transaction only — no other
    /// session ever sees the role as superuser, since ALTER ROLE commits with the rest or not at all.
    /// </summary>
    private async Task CreateStatementStatisticsAsync(AttachRequest request, CancellationToken cancellationToken)
    {
        var role = PostgresNames.Quote(request.User);
        var connection = await OpenAsync(request.Database, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'", connection))
            {
                if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
                {
                    return;
                }
            }

            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (!request.Superuser)
                {
                    await ExecuteAsync(connection, $"ALTER ROLE {role} SUPERUSER", cancellationToken).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, $"SET LOCAL ROLE {role}", cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements", cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, "RESET ROLE", cancellationToken).ConfigureAwait(false);
                if (!request.Superuser)
                {
                    await ExecuteAsync(connection, $"ALTER ROLE {role} NOSUPERUSER", cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Takes back what one attach attempt created (<see cref="AttachResult.DatabaseCreated"/>,
    /// <see cref="AttachResult.RoleCreated"/>) and nothing else: a role or database an earlier attempt left, or
    /// that existed before, is kept. Best effort: a failure is logged, since the caller is already failing.
    /// </summary>
    public async Task UndoAttachAsync(AttachResult attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (!attempt.RoleCreated && !attempt.DatabaseCreated)
        {
            return;
        }

        try
        {
            // A fresh connection: the failure being undone may have been the old connection's.
            var connection = await OpenAsync(null, cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                if (attempt.DatabaseCreated)
                {
                    await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {PostgresNames.Quote(attempt.Database)} WITH (FORCE)", cancellationToken).ConfigureAwait(false);
                }

                if (attempt.RoleCreated)
                {
                    await ExecuteAsync(connection, $"DROP ROLE IF EXISTS {PostgresNames.Quote(attempt.User)}", cancellationToken).ConfigureAwait(false);
                }
            }

            PostgresLog.AttachUndone(_logger, attempt.User, attempt.RoleCreated, attempt.Database, attempt.DatabaseCreated);
        }
        catch (NpgsqlException ex)
        {
            PostgresLog.AttachUndoFailed(_logger, attempt.User, attempt.Database, ex.Message);
        }
    }

    /// <summary>
    /// `postgres detach`: ends the role's sessions, hands everything it owns to postgres (the database is kept),
    /// drops its privileges everywhere and drops the role. Returns false when the role was already gone.
    /// </summary>
    public async Task<bool> DetachAsync(string user, CancellationToken cancellationToken)
    {
        if (PostgresNames.Problem("user", user) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        if (_internalRoles.Contains(user))
        {
            throw HangarException.Invalid($"user '{user}' is internal to the cluster and cannot be detached");
        }

        var role = PostgresNames.Quote(user);
        var databases = new List<string>();
        int sessions;
        var connection = await OpenAsync(null, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (await RoleCommentAsync(connection, user, cancellationToken).ConfigureAwait(false) is null)
            {
                PostgresLog.DetachNothingToDo(_logger, user);
                return false;
            }

            // No new sessions first, then end the running ones: a client reconnecting in between would hold
            // locks that make DROP OWNED wait.
            await ExecuteAsync(connection, $"ALTER ROLE {role} NOLOGIN", cancellationToken).ConfigureAwait(false);
            await using (var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity WHERE usename = $1", connection))
            {
                terminate.Parameters.Add(new NpgsqlParameter { Value = user });
                sessions = (int)(await terminate.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname", connection))
            await using (var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    databases.Add(reader.GetString(0));
                }
            }
        }

        // Ownership and grants are per database; shared objects (the database itself) go with the first.
        foreach (var name in databases)
        {
            var perDatabase = await OpenAsync(name, cancellationToken).ConfigureAwait(false);
            await using (perDatabase.ConfigureAwait(false))
            {
                await ExecuteAsync(perDatabase, $"REASSIGN OWNED BY {role} TO {PostgresNames.Quote(PatroniCredentials.SuperuserName)}", cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(perDatabase, $"DROP OWNED BY {role}", cancellationToken).ConfigureAwait(false);
            }
        }

        var last = await OpenAsync(null, cancellationToken).ConfigureAwait(false);
        await using (last.ConfigureAwait(false))
        {
            await ExecuteAsync(last, $"DROP ROLE IF EXISTS {role}", cancellationToken).ConfigureAwait(false);
        }

        PostgresLog.Detached(_logger, user, sessions, databases.Count);
        return true;
    }

    /// <summary>`postgres db list`.</summary>
    public async Task<IReadOnlyList<DatabaseInfo>> ListDatabasesAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT d.datname, pg_get_userbyid(d.datdba), pg_database_size(d.oid),
                   array(SELECT r.rolname FROM pg_roles r
                         WHERE r.rolcanlogin AND r.rolname !~ '^pg_' AND has_database_privilege(r.oid, d.oid, 'CONNECT')
                         ORDER BY r.rolname)
            FROM pg_database d
            WHERE NOT d.datistemplate
            ORDER BY d.datname
            """;
        var result = new List<DatabaseInfo>();
        var connection = await OpenAsync(null, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add(new DatabaseInfo(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<string[]>(3)));
            }
        }

        return result;
    }

    /// <summary>`postgres users list`: login roles, excluding PostgreSQL's predefined pg_* roles.</summary>
    public async Task<IReadOnlyList<UserInfo>> ListUsersAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.rolname, r.rolsuper,
                   array(SELECT d.datname FROM pg_database d
                         WHERE NOT d.datistemplate AND has_database_privilege(r.oid, d.oid, 'CONNECT')
                         ORDER BY d.datname),
                   CASE WHEN r.rolsuper THEN 'superuser'
                        WHEN shobj_description(r.oid, 'pg_authid') LIKE 'hangar attachment %' THEN 'owner'
                        ELSE (SELECT substr(g.rolname, 8) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                              WHERE m.member = r.oid AND g.rolname IN ('hangar_schema_admin', 'hangar_writer', 'hangar_reader')
                              ORDER BY g.rolname = 'hangar_reader', g.rolname = 'hangar_writer' LIMIT 1)
                   END
            FROM pg_roles r
            WHERE r.rolcanlogin AND r.rolname !~ '^pg_'
            ORDER BY r.rolname
            """;
        var result = new List<UserInfo>();
        var connection = await OpenAsync(null, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add(new UserInfo(reader.GetString(0), reader.GetBoolean(1), reader.GetFieldValue<string[]>(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        return result;
    }

    private async Task<NpgsqlConnection> OpenAsync(string? database, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(_admin.ConnectionString);
        if (database is not null)
        {
            builder.Database = database;
        }

        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<string?> DatabaseOwnerAsync(NpgsqlConnection connection, string database, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Null when the role does not exist; otherwise its comment (null when it has none).</summary>
    private static async Task<(bool Exists, string? Comment)?> RoleCommentAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = role });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return (true, reader.IsDBNull(0) ? null : reader.GetString(0));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool IsValidAttachmentId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 64 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-');
}
