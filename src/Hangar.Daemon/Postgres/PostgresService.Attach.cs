using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Names;
using Hangar.Core.Resources;
using Hangar.Daemon.Secrets;
using Hangar.Postgres.Admin;
using Hangar.Postgres.Connections;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// Attach, detach, databases and users: SQL through the admin role on the leader (via the cluster port). An
/// attachment lives in one place, its key under /hangar/attachments/, which names the database and role it owns.
/// </summary>
internal sealed partial class PostgresService
{
    /// <summary>The prefix of the variable that carries the direct URL beside a pooled one (DIRECT_DATABASE_URL).</summary>
    public const string DirectPrefix = "DIRECT_";

    public Task<PostgresAttached> AttachAsync(string name, PostgresAttachRequest request, CancellationToken cancellationToken) =>
        AttachAsync(name, request, pooledPort: null, cancellationToken);

    /// <summary>
    /// With <paramref name="pooledPort"/> (an mpg pool), the variable gets the pooled URL and DIRECT_ + variable the
    /// direct one (migrations, advisory locks, LISTEN/NOTIFY need a session of their own); one attachment sets both.
    /// </summary>
    public async Task<PostgresAttached> AttachAsync(string name, PostgresAttachRequest request, int? pooledPort, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", name));
        problems.Add(ResourceNames.Problem("app", request.App));
        var database = request.DatabaseName ?? (ResourceNames.IsValid(request.App) ? PostgresNames.FromAppName(request.App) : null);
        var user = request.DatabaseUser ?? (ResourceNames.IsValid(request.App) ? PostgresNames.FromAppName(request.App) : null);
        var variable = request.VariableName ?? DefaultVariable;
        problems.Add(database is null ? null : PostgresNames.Problem("--database-name", database));
        problems.Add(user is null ? null : PostgresNames.Problem("--database-user", user));
        problems.Check(SecretService.IsValidName(variable), $"invalid --variable-name '{variable}': {SecretService.NameRule}");
        problems.Check(pooledPort is null || SecretService.IsValidName(DirectPrefix + variable), $"invalid --variable-name '{variable}': {SecretService.NameRule} (with {DirectPrefix} in front)");
        problems.ThrowIfAny();
        string[] variablesSet = pooledPort is null ? [variable] : [variable, DirectPrefix + variable];

        var cluster = await RequireRunningAsync(name, cancellationToken);
        await apps.RequireAsync(request.App, cancellationToken);
        var attached = await attachments.OfResourceAsync(PostgresKeys.Kind, name, cancellationToken);

        // Several attachments of one cluster to one app are told apart by their variable (OLD_/NEW_DATABASE_URL).
        if (attached.FirstOrDefault(a => a.App == request.App && a.Variables.Intersect(variablesSet).Any()) is { } same)
        {
            throw new HangarException(ErrorCodes.AlreadyExists, $"attachment of postgres cluster '{name}' to app '{request.App}' as {same.Variables.Intersect(variablesSet).First()} already exists: detach it first or choose another --variable-name");
        }

        if (attached.FirstOrDefault(a => a.User == user || a.Database == database) is { } taken)
        {
            throw new HangarException(ErrorCodes.AlreadyExists,
                $"database '{taken.Database}' and user '{taken.User}' belong to the attachment of app '{taken.App}' as {AttachedAs(taken)}: pass another --database-name and --database-user");
        }

        // Checked before anything is made, so a refused attach leaves no role behind.
        var existing = (await store.GetAsync<SecretsRecord>(StoreKeys.SecretsOf(request.App), cancellationToken))?.Value.Secrets;
        if (variablesSet.FirstOrDefault(v => existing?.ContainsKey(v) == true) is { } clash)
        {
            throw HangarException.Precondition($"app '{request.App}' already has a secret named {clash}: unset it first or choose another --variable-name");
        }

        var password = Hangar.Core.Ids.Passwords.New();
        var admin = Admin(cluster);
        // Stable per cluster and app, so a re-run after a cut-short attach resumes it instead of refusing.
        // The default variable keeps the id attachments had before there could be several.
        var attachmentId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            name + "/" + request.App + (variable == DefaultVariable ? string.Empty : "/" + variable))))[..32];
        AttachResult made;
        try
        {
            // A failure inside takes back the role and database this attempt created.
            made = await AdminCallAsync(cluster, () => admin.AttachAsync(new AttachRequest(database!, user!, password, attachmentId, request.Superuser, cluster.EnablePostgis), cancellationToken));
        }
        catch (HangarException ex) when (ex.Code == ErrorCodes.Unavailable)
        {
            throw new HangarException(ex.Code, $"attach of app '{request.App}' failed, nothing kept: {ex.Message}", ex);
        }

        var url = ConnectionStrings.Url(user!, password, runtime.Host, cluster.ProxyPort!.Value, database!);
        try
        {
            var secrets = pooledPort is { } pool
                ? new Dictionary<string, string>(StringComparer.Ordinal) { [variable] = ConnectionStrings.Url(user!, password, runtime.Host, pool, database!), [DirectPrefix + variable] = url }
                : new Dictionary<string, string>(StringComparer.Ordinal) { [variable] = url };

            // libpq verifies the server against PGSSLROOTCERT whenever the file exists (verify-full adds the host name);
            // a second cluster attached to the app shares the one the first set, as it is the same CA.
            if (variable != RootCertificateVariable && existing?.ContainsKey(RootCertificateVariable) != true)
            {
                secrets[RootCertificateVariable] = runtime.CaCertificatePath;
            }

            // The secrets and the attachment, naming the database and role it owns, in one transaction.
            await attachments.AttachAsync(request.App, PostgresKeys.Kind, name, variable, secrets, (database!, user!), cancellationToken);
        }
        catch
        {
            // The secret could not be set (a race on the app): what this attempt made goes again.
            await admin.UndoAttachAsync(made, CancellationToken.None);
            throw;
        }

        Log.Attached(_logger, name, request.App, database!, user!);
        var shown = pooledPort is { } port ? ConnectionStrings.Url(user!, password, runtime.Host, port, database!) : url;
        return new PostgresAttached(name, request.App, database!, user!, variable, ConnectionStrings.Redact(shown));
    }

    /// <summary>
    /// Detaches the attachment that set <paramref name="variable"/>; without it, the app's only attachment of the
    /// cluster (several need the variable to say which).
    /// </summary>
    public async Task DetachAsync(string name, string app, string? variable, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        await apps.RequireAsync(app, cancellationToken);
        var recorded = (await attachments.OfResourceAsync(PostgresKeys.Kind, name, cancellationToken)).Where(a => a.App == app).ToList();
        var variables = recorded.SelectMany(a => a.Variables)
            // PGSSLROOTCERT rides along with the attachment that set it, DIRECT_X with the pooled X; neither names an attachment.
            .Where(v => v != RootCertificateVariable && !recorded.Any(a => a.Variables.Contains(v) && v.StartsWith(DirectPrefix, StringComparison.Ordinal) && a.Variables.Contains(v[DirectPrefix.Length..])))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (variables.Count == 0)
        {
            throw new HangarException(ErrorCodes.NotFound, $"postgres cluster '{name}' is not attached to app '{app}'");
        }

        if (variable is null)
        {
            if (variables.Count > 1)
            {
                throw HangarException.Precondition($"postgres cluster '{name}' is attached to app '{app}' as {string.Join(", ", variables)}: pass --variable-name to say which to detach");
            }

            variable = variables[0];
        }
        else if (!variables.Contains(variable))
        {
            throw new HangarException(ErrorCodes.NotFound, $"postgres cluster '{name}' is not attached to app '{app}' as {variable} (it is as {string.Join(", ", variables)})");
        }

        if (recorded.FirstOrDefault(a => a.Variables.Contains(variable)) is { User: { } role })
        {
            await AdminCallAsync(cluster, () => Admin(cluster).DetachAsync(role, cancellationToken));
        }

        await attachments.DetachAsync(app, PostgresKeys.Kind, name, variable, cancellationToken);
        Log.Detached(_logger, name, app);
    }

    public async Task<IReadOnlyList<PostgresDatabaseInfo>> DatabasesAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var all = await AdminCallAsync(cluster, () => Admin(cluster).ListDatabasesAsync(cancellationToken));
        return [.. all.Select(d => new PostgresDatabaseInfo(d.Name, d.Owner, d.SizeBytes, d.Users))];
    }

    public async Task CreateDatabaseAsync(string name, string database, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", name));
        problems.Add(PostgresNames.Problem("database", database));
        problems.ThrowIfAny();
        var cluster = await RequireRunningAsync(name, cancellationToken);
        await AdminCallAsync(cluster, async () =>
        {
            var admin = Admin(cluster);
            await admin.CreateDatabaseAsync(database, cancellationToken);
            if (cluster.EnablePostgis)
            {
                await admin.CreatePostgisAsync(database, cancellationToken);
            }

            return true;
        });
    }

    public async Task<IReadOnlyList<PostgresUserInfo>> UsersAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var all = await AdminCallAsync(cluster, () => Admin(cluster).ListUsersAsync(cancellationToken));
        return [.. all.Select(u => new PostgresUserInfo(u.Name, u.Superuser, u.Databases, u.Role))];
    }

    /// <summary>The variable an attachment is known by; PGSSLROOTCERT rides along with it.</summary>
    private static string AttachedAs(AttachmentRecord attachment) =>
        attachment.Variables.FirstOrDefault(v => v != RootCertificateVariable) ?? attachment.Variables.FirstOrDefault() ?? attachment.Label;
}
