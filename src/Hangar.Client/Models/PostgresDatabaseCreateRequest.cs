namespace Hangar.Client.Models;

public sealed record PostgresDatabaseCreateRequest(string Name);
