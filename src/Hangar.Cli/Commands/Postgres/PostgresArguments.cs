using System.CommandLine;

namespace Hangar.Cli.Commands.Postgres;

/// <summary>Arguments several `hangar postgres` verbs take; a new instance each time, as a symbol belongs to one command.</summary>
internal static class PostgresArguments
{
    public static Argument<string> Cluster() => new("cluster") { Description = "Cluster name" };
}
