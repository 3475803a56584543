using System.CommandLine;
using System.Reflection;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Version;

internal static class VersionCommand
{
    public static string Current { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static Command Create() => new Command("version", "Show the version of the hangar CLI").Runs((context, _) =>
    {
        var info = new { version = Current, runtime = Environment.Version.ToString(), os = System.Runtime.InteropServices.RuntimeInformation.OSDescription };
        context.Out.Write(info, i => Output.Line($"hangar v{i.version} (.NET {i.runtime}, {i.os})"));
        return Task.FromResult(0);
    });
}
