namespace Hangar.Client.Models;

public sealed record RedisAttachRequest(string App, string? VariableName);
