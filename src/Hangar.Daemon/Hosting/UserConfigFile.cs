using System.Text.Json;
using Hangar.Client;

namespace Hangar.Daemon.Hosting;

/// <summary>
/// The user's client config (~/.config/hangar/config.json) is the CLI's default daemon. A second daemon on the host (a
/// test daemon, another data dir) must not take it over silently, or the CLI starts answering "not found" for
/// resources that exist: it is written only when there is none or it already names this data dir.
/// </summary>
internal static class UserConfigFile
{
    /// <summary>Writes <paramref name="ours"/> to <paramref name="path"/> when allowed; returns the line to print either way.</summary>
    public static string Update(ClientConfig ours, string path)
    {
        ClientConfig? existing = null;
        if (File.Exists(path))
        {
            try
            {
                existing = ClientConfig.Read(path);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return $"Client config {path} left as it is: it could not be read ({ex.Message.ReplaceLineEndings(" ")}); use HANGAR_DATA_DIR={ours.DataDir} to reach this daemon";
            }
        }

        if (existing is not null && !SameDaemon(existing, ours))
        {
            return $"Client config {path} left as it is: it points at another daemon ({existing.Describe()}); use HANGAR_DATA_DIR={ours.DataDir} to reach this one";
        }

        ours.Write(path);
        return $"Client config written to {path}";
    }

    /// <summary>
    /// Same data dir; a file from before the data dir was recorded is ours when it holds our token (a token is made
    /// once per data dir).
    /// </summary>
    public static bool SameDaemon(ClientConfig existing, ClientConfig ours) =>
        existing.DataDir is { Length: > 0 } dir
            ? ours.DataDir is { Length: > 0 } mine && string.Equals(Path.GetFullPath(dir).TrimEnd('/'), Path.GetFullPath(mine).TrimEnd('/'), StringComparison.Ordinal)
            : string.Equals(existing.Token, ours.Token, StringComparison.Ordinal);
}
