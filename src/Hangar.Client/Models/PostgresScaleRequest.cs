namespace Hangar.Client.Models;

public sealed record PostgresScaleRequest(int Count);
