using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// Postgres tests run one class at a time: each starts real Patroni clusters, and on two cores several bootstraps at
/// once would measure the host, not Hangar (failover timings in particular).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection
{
    public const string Name = "postgres";
}
