using System.CommandLine;

namespace Hangar.Cli.Infrastructure;

/// <summary>Options every command takes.</summary>
internal static class GlobalOptions
{
    public static readonly Option<bool> Json = new("--json", "-j") { Description = "Print JSON instead of tables", Recursive = true };

    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show stack traces on errors", Recursive = true };

    public static readonly Option<bool> Yes = new("--yes", "-y") { Description = "Accept confirmations without asking" };

    public static Option<string> App(bool required = true) => new("--app", "-a") { Description = "App name", Required = required };
}
