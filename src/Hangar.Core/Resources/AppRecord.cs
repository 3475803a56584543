namespace Hangar.Core.Resources;

/// <summary>A named app: the thing secrets belong to and resources attach to. Key: /hangar/apps/NAME.</summary>
public sealed record AppRecord(string Name, DateTimeOffset CreatedAt);
