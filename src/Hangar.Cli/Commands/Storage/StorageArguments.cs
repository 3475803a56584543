using System.CommandLine;

namespace Hangar.Cli.Commands.Storage;

/// <summary>Arguments several `hangar storage` verbs take; a new instance each time, as a symbol belongs to one command.</summary>
internal static class StorageArguments
{
    public static Argument<string> Name() => new("name") { Description = "Bucket name" };
}
