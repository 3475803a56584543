using System.CommandLine;

namespace Hangar.Cli.Commands.Mpg;

/// <summary>Arguments several `hangar mpg` verbs take; a new instance each time, as a symbol belongs to one command.</summary>
internal static class MpgArguments
{
    public static Argument<string> Cluster() => new("cluster") { Description = "Managed cluster name" };
}
