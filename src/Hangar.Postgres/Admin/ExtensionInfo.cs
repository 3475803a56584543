namespace Hangar.Postgres.Admin;

/// <param name="Installed">Database and installed version, for each database that has it.</param>
public sealed record ExtensionInfo(string Name, string? DefaultVersion, string? Comment, IReadOnlyList<InstalledExtension> Installed);
