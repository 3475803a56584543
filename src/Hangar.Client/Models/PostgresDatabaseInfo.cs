namespace Hangar.Client.Models;

public sealed record PostgresDatabaseInfo(string Name, string Owner, long SizeBytes, IReadOnlyList<string> Users);
