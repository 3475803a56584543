namespace Hangar.Client.Models;

public sealed record UnsetSecretsRequest(IReadOnlyList<string> Keys);
