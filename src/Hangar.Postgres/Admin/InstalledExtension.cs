namespace Hangar.Postgres.Admin;

public sealed record InstalledExtension(string Database, string Version);
