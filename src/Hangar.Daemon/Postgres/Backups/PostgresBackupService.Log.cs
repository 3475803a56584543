using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Postgres.Backups;

internal sealed partial class PostgresBackupService
{
    private static partial class Log
    {
        [LoggerMessage(6210, LogLevel.Information, "postgres {Name}: backups configured (stanza, archive_command, repository {Bucket})")]
        public static partial void Configured(ILogger logger, string name, string bucket);

        [LoggerMessage(6211, LogLevel.Information, "postgres {Name}: {Type} backup {Label} taken from {Source} in {Seconds:0.0} s")]
        public static partial void BackedUp(ILogger logger, string name, string label, string type, string source, double seconds);

        [LoggerMessage(6221, LogLevel.Information, "postgres {Name}: {Type} backup copied to the off-site repository")]
        public static partial void BackedUpOffsite(ILogger logger, string name, string type);

        [LoggerMessage(6212, LogLevel.Warning, "postgres {Name}: {Type} backup failed: {Reason}")]
        public static partial void BackupFailed(ILogger logger, string name, string type, string reason);

        [LoggerMessage(6213, LogLevel.Warning, "postgres {Name}: backup step failed, retrying: {Reason}")]
        public static partial void StepFailed(ILogger logger, string name, string reason);

        [LoggerMessage(6214, LogLevel.Information, "postgres {Name}: restore point {Point} at {Lsn}")]
        public static partial void Marked(ILogger logger, string name, string point, string lsn);

        [LoggerMessage(6215, LogLevel.Information, "postgres {Name}: restoring into {Target} from backup {Set} ({Type} {Value})")]
        public static partial void Restoring(ILogger logger, string name, string target, string set, string type, string value);

        [LoggerMessage(6216, LogLevel.Information, "postgres {Name}: backups disabled; WAL no longer archived, the repository is kept")]
        public static partial void Disabled(ILogger logger, string name);

        [LoggerMessage(6217, LogLevel.Warning, "postgres {Name}: archiving fails (segment {Wal})")]
        public static partial void ArchiveFailing(ILogger logger, string name, string wal);

        [LoggerMessage(6218, LogLevel.Information, "postgres {Name}: archiving works again")]
        public static partial void ArchiveRecovered(ILogger logger, string name);

        [LoggerMessage(6220, LogLevel.Information, "postgres {Name}: restore drill {Outcome}: {Detail}")]
        public static partial void Drilled(ILogger logger, string name, string outcome, string detail);

        [LoggerMessage(6219, LogLevel.Information, "postgres {Name}: cluster gone; its backup repository and state removed")]
        public static partial void Forgotten(ILogger logger, string name);

        [LoggerMessage(6246, LogLevel.Warning, "pgBackRest left running by a killed daemon stopped: {CommandLine}")]
        public static partial void LeftoverStopped(ILogger logger, string commandLine);

        [LoggerMessage(6247, LogLevel.Warning, "postgres {Name}: the {Type} backup a killed daemon was taking is taken again")]
        public static partial void Interrupted(ILogger logger, string name, string type);

        [LoggerMessage(6248, LogLevel.Information, "postgres {Name}: the kept backups of the destroyed cluster (generation {Generation}) removed")]
        public static partial void DeletedExpired(ILogger logger, string name, int generation);

        [LoggerMessage(6245, LogLevel.Warning, "postgres {Name}: does not answer ({Reason}); restoring up to the end of its archive")]
        public static partial void SourceUnreachable(ILogger logger, string name, string reason);
    }
}
