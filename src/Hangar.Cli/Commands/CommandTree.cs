using System.CommandLine;
using Hangar.Cli.Commands.Apps;
using Hangar.Cli.Commands.Auth;
using Hangar.Cli.Commands.Certificates;
using Hangar.Cli.Commands.Checks;
using Hangar.Cli.Commands.Dashboard;
using Hangar.Cli.Commands.Metrics;
using Hangar.Cli.Commands.Internal;
using Hangar.Cli.Commands.Logs;
using Hangar.Cli.Commands.Mpg;
using Hangar.Cli.Commands.Postgres;
using Hangar.Cli.Commands.Redis;
using Hangar.Cli.Commands.Run;
using Hangar.Cli.Commands.Scale;
using Hangar.Cli.Commands.Secrets;
using Hangar.Cli.Commands.Sqlite;
using Hangar.Cli.Commands.Status;
using Hangar.Cli.Commands.Storage;
using Hangar.Cli.Commands.Up;
using Hangar.Cli.Commands.Version;
using Hangar.Cli.Commands.Volumes;

namespace Hangar.Cli.Commands;

/// <summary>Every top-level noun and verb, in the order `hangar --help` lists them.</summary>
internal static class CommandTree
{
    public static IEnumerable<Command> All() =>
    [
        UpCommand.Create(),
        StatusCommand.Create(),
        LogsCommand.Create(),
        AppsCommand.Create(),
        SecretsCommand.Create(),
        RunCommand.Create(),
        VolumesCommand.Create(),
        PostgresCommand.Create(),
        Mpg.MpgCommand.Create(),
        RedisCommand.Create(),
        StorageCommand.Create(),
        SqliteCommand.Create(),
        ScaleCommand.Create(),
        ChecksCommand.Create(),
        DashboardCommand.Create(),
        MetricsCommand.Create(),
        CertificatesCommand.Create(),
        AuthCommand.Create(),
        VersionCommand.Create(),
        S3ServerCommand.Create(),
        ProxyServerCommand.Create(),
    ];
}
