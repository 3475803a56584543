using System.CommandLine;
using Hangar.Cli.Commands.Sqlite.Config;
using Hangar.Cli.Commands.Sqlite.Drill;
using Hangar.Cli.Commands.Sqlite.List;
using Hangar.Cli.Commands.Sqlite.Replicate;
using Hangar.Cli.Commands.Sqlite.Restore;
using Hangar.Cli.Commands.Sqlite.Status;
using Hangar.Cli.Commands.Sqlite.Stop;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Sqlite;

/// <summary>`hangar sqlite ...`: SQLite databases replicated continuously by Litestream into Hangar's object storage.</summary>
internal static class SqliteCommand
{
    public static Command Create() =>
        new Command("sqlite", "Replicate SQLite databases with Litestream into Hangar's S3, restore them to any second")
            .With(SqliteReplicateCommand.Create(), SqliteListCommand.Create(), SqliteStatusCommand.Create(), SqliteStopCommand.Create(),
                SqliteRestoreCommand.Create(), SqliteConfigCommand.Create(), SqliteDrillCommand.Create());

    public static Argument<string> NameArgument() => new("name") { Description = "Name of the replicated database (as `hangar sqlite list` shows)" };
}
