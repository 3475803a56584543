namespace Hangar.Client.Models;

/// <summary>An app as listed: its secrets count and what is attached to it.</summary>
public sealed record AppInfo(string Name, DateTimeOffset CreatedAt, int Secrets, IReadOnlyList<string> Attached);
