using System.CommandLine;

namespace Hangar.Cli.Commands.Mpg;

/// <summary>What several `mpg` verbs share: the user's flags (the cluster is <see cref="Hangar.Cli.Commands.Postgres.PostgresArguments.Cluster"/>, as `fly mpg users list CLUSTER`).</summary>
internal static class MpgArguments
{
    public static Option<string> Username() => new("--username", "-u") { Description = "The user's name", Required = true };

    public static Option<string> Role() => new("--role", "-r") { Description = "schema_admin (create and alter tables), writer (read and write rows) or reader (read only)", Required = true };
}
