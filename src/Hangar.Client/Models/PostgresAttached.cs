namespace Hangar.Client.Models;

/// <summary>What `postgres attach` made; <see cref="Url"/> is the secret's value with the password masked.</summary>
public sealed record PostgresAttached(string Cluster, string App, string Database, string User, string Variable, string? Url = null);
