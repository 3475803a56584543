namespace Hangar.Client.Models;

public sealed record PostgresInstalledExtension(string Database, string Version);
