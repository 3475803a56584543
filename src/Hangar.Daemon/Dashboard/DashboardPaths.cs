namespace Hangar.Daemon.Dashboard;

/// <summary>The dashboard's URLs, built in one place so pages, the CLI's links and the redirects agree.</summary>
internal static class DashboardPaths
{
    public const string Overview = "/dashboard/";
    public const string Volumes = "/dashboard/volumes";

    public static string Postgres(string name) => "/dashboard/postgres/" + Uri.EscapeDataString(name);

    public static string Redis(string name) => "/dashboard/redis/" + Uri.EscapeDataString(name);

    public static string Bucket(string name) => "/dashboard/storage/" + Uri.EscapeDataString(name);

    public static string Login(string? next) =>
        "/dashboard/login" + (IsLocal(next) && next != Overview ? "?next=" + Uri.EscapeDataString(next!) : string.Empty);

    public static string LoginCode(string code, string? next) =>
        "/dashboard/login/" + Uri.EscapeDataString(code) + (IsLocal(next) && next != Overview ? "?next=" + Uri.EscapeDataString(next!) : string.Empty);

    /// <summary>Only a path of the dashboard itself may be a redirect target: never another site (an open redirect).</summary>
    public static bool IsLocal(string? path) =>
        path is { Length: > 0 } && path.StartsWith("/dashboard/", StringComparison.Ordinal) && !path.StartsWith("//", StringComparison.Ordinal) && !path.Contains('\\')
        && path.AsSpan().IndexOfAny('\r', '\n') < 0;
}
