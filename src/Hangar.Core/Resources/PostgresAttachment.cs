namespace Hangar.Core.Resources;

/// <summary>What `postgres attach` made for an app on a cluster: the database and the role that owns it.</summary>
public sealed record PostgresAttachment(string App, string Database, string User, string Variable);
