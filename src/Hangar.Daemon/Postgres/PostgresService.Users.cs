using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Names;
using Hangar.Postgres.Admin;
using Hangar.Postgres.Connections;

namespace Hangar.Daemon.Postgres;

/// <summary>
/// `mpg users` (roles schema_admin, writer, reader as grants that hold) and `mpg extensions list`: SQL through the
/// admin role on the leader. The new user's password leaves only in the create answer.
/// </summary>
internal sealed partial class PostgresService
{
    public async Task<PostgresUserCreated> CreateUserAsync(string name, PostgresUserCreateRequest request, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", name));
        problems.Add(PostgresNames.Problem("user", request.Username));
        problems.Add(ManagedRoles.Problem(request.Role));
        problems.ThrowIfAny();
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var password = Hangar.Core.Ids.Passwords.New();
        await AdminCallAsync(cluster, async () =>
        {
            await Admin(cluster).CreateUserAsync(request.Username, request.Role, password, cancellationToken);
            return true;
        });
        var url = ConnectionStrings.Url(request.Username, password, runtime.Host, cluster.ProxyPort!.Value, "postgres");
        return new PostgresUserCreated(name, request.Username, request.Role, password, url);
    }

    public async Task SetUserRoleAsync(string name, string user, string role, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", name));
        problems.Add(PostgresNames.Problem("user", user));
        problems.Add(ManagedRoles.Problem(role));
        problems.ThrowIfAny();
        var cluster = await RequireRunningAsync(name, cancellationToken);
        await AdminCallAsync(cluster, async () =>
        {
            await Admin(cluster).SetUserRoleAsync(user, role, cancellationToken);
            return true;
        });
    }

    public async Task DeleteUserAsync(string name, string user, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("cluster", name));
        problems.Add(PostgresNames.Problem("user", user));
        problems.ThrowIfAny();
        var cluster = await RequireRunningAsync(name, cancellationToken);
        await AdminCallAsync(cluster, async () =>
        {
            await Admin(cluster).DeleteUserAsync(user, cancellationToken);
            return true;
        });
    }

    public async Task<IReadOnlyList<PostgresExtensionInfo>> ExtensionsAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await RequireRunningAsync(name, cancellationToken);
        var all = await AdminCallAsync(cluster, () => Admin(cluster).ListExtensionsAsync(cancellationToken));
        return [.. all.Select(e => new PostgresExtensionInfo(e.Name, e.DefaultVersion, e.Comment, [.. e.Installed.Select(i => new PostgresInstalledExtension(i.Database, i.Version))]))];
    }
}
