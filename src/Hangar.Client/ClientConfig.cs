using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hangar.Client;

/// <summary>
/// Where the API is and the token for it. Written by the daemon (mode 0600) to DATA_DIR/config.json and
/// ~/.config/hangar/config.json; found by the CLI in that order: HANGAR_DATA_DIR, HANGAR_API_URL + HANGAR_API_TOKEN, the user file.
/// <see cref="DataDir"/> names the daemon that wrote it (absent in files written before it existed).
/// </summary>
public sealed record ClientConfig(string ApiUrl, string Token, string? DataDir = null)
{
    public const string FileName = "config.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string UserConfigPath =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "hangar", FileName);

    public static ClientConfig? Discover()
    {
        if (Environment.GetEnvironmentVariable("HANGAR_DATA_DIR") is { Length: > 0 } dataDir)
        {
            var path = Path.Combine(dataDir, FileName);
            return File.Exists(path) ? Read(path) : null;
        }

        if (Environment.GetEnvironmentVariable("HANGAR_API_URL") is { Length: > 0 } url)
        {
            return new ClientConfig(url, Environment.GetEnvironmentVariable("HANGAR_API_TOKEN") ?? string.Empty);
        }

        return File.Exists(UserConfigPath) ? Read(UserConfigPath) with { FromUserFile = true } : null;
    }

    /// <summary>
    /// True when the CLI found this in the user file rather than through an explicit HANGAR_* variable: then which daemon
    /// answered is not obvious to the user (another `hangar up` may have written it), so errors name it.
    /// </summary>
    [JsonIgnore]
    public bool FromUserFile { get; init; }

    /// <summary>"daemon at URL, data dir D", for errors that could come from the wrong daemon.</summary>
    public string Describe() => DataDir is { Length: > 0 } dir ? $"daemon at {ApiUrl}, data dir {dir}" : $"daemon at {ApiUrl}";

    public static ClientConfig Read(string path) =>
        JsonSerializer.Deserialize<ClientConfig>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty");

    /// <summary>Writes atomically with mode 0600 from the first byte: the token is a credential.</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, this, Json);
        }

        File.Move(temp, path, overwrite: true);
    }
}
