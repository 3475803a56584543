namespace Hangar.Core.Resources;

/// <summary>An attachment as older daemons also kept it inside the cluster record (<see cref="PostgresRecord.LegacyAttachments"/>).</summary>
public sealed record PostgresAttachment(string App, string Database, string User, string Variable);
