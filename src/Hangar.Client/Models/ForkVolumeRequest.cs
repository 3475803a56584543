namespace Hangar.Client.Models;

public sealed record ForkVolumeRequest(string? Name);
