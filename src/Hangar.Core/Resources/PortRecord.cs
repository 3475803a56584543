namespace Hangar.Core.Resources;

/// <summary>A TCP port handed to a resource ("redis:cache", "postgres:db/proxy"). Key: /hangar/ports/PORT.</summary>
public sealed record PortRecord(int Port, string Owner, DateTimeOffset AllocatedAt);
