using System.CommandLine;

namespace Hangar.Cli.Commands.Mpg;

/// <summary>Arguments and options several `hangar mpg` verbs take; a new instance each time, as a symbol belongs to one command.</summary>
internal static class MpgArguments
{
    public static Argument<string> Cluster() => new("cluster") { Description = "Managed cluster name" };

    public static Option<string> Username() => new("--username", "-u") { Description = "The user's name", Required = true };

    public static Option<string> Role() => new("--role", "-r") { Description = "schema_admin (create and alter tables), writer (read and write rows) or reader (read only)", Required = true };
}
