using System.CommandLine;

namespace Hangar.Cli.Commands.Volumes;

/// <summary>Arguments several `hangar volumes` verbs take; a new instance each time, as a symbol belongs to one command.</summary>
internal static class VolumeArguments
{
    public static Argument<string> Id() => new("id") { Description = "Volume id (vol_...)" };
}
