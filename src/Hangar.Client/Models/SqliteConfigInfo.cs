namespace Hangar.Client.Models;

/// <summary>`sqlite config`: a litestream.yml for the app's databases and the variables its credentials come from.</summary>
public sealed record SqliteConfigInfo(string App, string Yaml, IReadOnlyList<string> CredentialVariables);
