namespace Hangar.Client.Models;

/// <summary>What `postgres create` prints once: the superuser's credentials are not retrievable later.</summary>
public sealed record PostgresCreated(PostgresClusterInfo Cluster, string Username, string Password, string Hostname, int ProxyPort, int PgPort, string ConnectionString)
{
    public override string ToString() => $"PostgresCreated {{ Cluster = {Cluster.Name}, Username = {Username} }}";
}
