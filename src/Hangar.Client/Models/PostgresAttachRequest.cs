namespace Hangar.Client.Models;

public sealed record PostgresAttachRequest(string App, string? DatabaseName = null, string? DatabaseUser = null, string? VariableName = null, bool Superuser = false);
