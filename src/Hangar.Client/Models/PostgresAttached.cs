namespace Hangar.Client.Models;

public sealed record PostgresAttached(string Cluster, string App, string Database, string User, string Variable);
