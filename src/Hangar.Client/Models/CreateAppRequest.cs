namespace Hangar.Client.Models;

public sealed record CreateAppRequest(string Name);
