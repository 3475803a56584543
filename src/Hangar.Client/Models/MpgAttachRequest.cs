namespace Hangar.Client.Models;

/// <summary>`mpg attach`: VariableName (default DATABASE_URL) gets the pooled URL, DIRECT_ + VariableName the direct one.</summary>
public sealed record MpgAttachRequest(string App, string? DatabaseName = null, string? VariableName = null);
