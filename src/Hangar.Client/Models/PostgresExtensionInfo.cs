namespace Hangar.Client.Models;

/// <param name="Installed">Each database that has the extension, with the installed version.</param>
public sealed record PostgresExtensionInfo(string Name, string? DefaultVersion, string? Description, IReadOnlyList<PostgresInstalledExtension> Installed);
