namespace Hangar.Client.Models;

/// <summary>
/// What `hangar run --sqlite NAME` needs to run Litestream itself around an app's command: the binary, a config
/// without credentials, and the registration's key (returned to the token holder only, as Redis credentials are).
/// </summary>
public sealed record SqliteExecPlan(string Name, string App, string Path, string Litestream, string ConfigYaml, string AccessKeyVariable, string AccessKeyId, string SecretKeyVariable, string SecretAccessKey);
