using System.CommandLine;
using System.Diagnostics;
using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Dashboard;

/// <summary>
/// What every `dashboard` verb does, as flyctl's open the web UI: ask the daemon for the page and a one-time login link,
/// print both, and on a desktop terminal hand the link to the browser (xdg-open). An unknown name is the daemon's
/// one-line not-found error.
/// </summary>
internal static class DashboardLinks
{
    /// <summary>`hangar NOUN dashboard`: <paramref name="name"/> (NOUN's argument or -a option) names the resource of <paramref name="kind"/>.</summary>
    public static Command Verb(Symbol name, Func<CliContext, string> value, string kind, string what) =>
        new Command("dashboard", $"Open {what} dashboard page (prints its URL and a one-time login link)").With(name)
            .Runs((context, ct) => ShowAsync(context, kind, value(context), ct));

    public static async Task<int> ShowAsync(CliContext context, string? kind, string? name, CancellationToken cancellationToken)
    {
        var link = await context.Client.DashboardLinkAsync(new DashboardLinkRequest(kind, name), cancellationToken);
        context.Out.Write(link, l =>
        {
            Output.Line($"Dashboard: {l.Url}");
            Output.Line($"Login link (one use, until {l.LoginExpiresAt.UtcDateTime:HH:mm:ss} UTC): {l.LoginUrl}");
            if (TryOpen(l.LoginUrl))
            {
                Output.Line("Opened it in your browser.");
            }
        });
        return 0;
    }

    private static bool TryOpen(string url)
    {
        if (Console.IsOutputRedirected || (Environment.GetEnvironmentVariable("DISPLAY") is not { Length: > 0 } && Environment.GetEnvironmentVariable("WAYLAND_DISPLAY") is not { Length: > 0 })
            || !File.Exists("/usr/bin/xdg-open"))
        {
            return false;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/xdg-open", [url]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true });
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
