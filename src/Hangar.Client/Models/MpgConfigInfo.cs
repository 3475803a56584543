namespace Hangar.Client.Models;

/// <summary>`mpg config show/update`: the cluster's parameters and the pool's settings.</summary>
public sealed record MpgConfigInfo(PostgresConfigInfo Postgres, int PoolSize, string PoolMode, int MaxClientConnections, int MaxPoolSize);
