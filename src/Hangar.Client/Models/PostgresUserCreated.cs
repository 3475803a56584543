namespace Hangar.Client.Models;

/// <summary>The new user's password is in this answer only; the daemon keeps nothing but PostgreSQL's SCRAM verifier.</summary>
public sealed record PostgresUserCreated(string Cluster, string Username, string Role, string Password, string ConnectionString)
{
    public override string ToString() => $"PostgresUserCreated {{ Cluster = {Cluster}, Username = {Username}, Role = {Role} }}";
}
