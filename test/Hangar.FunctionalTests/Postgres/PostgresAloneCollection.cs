using Xunit;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// Fault tests whose assertions are about timing (a frozen leader's fence grace, how soon the old leader rejoins):
/// they run after every other collection, with nothing beside them. In the full suite the Postgres collection runs
/// beside another collection (a second cluster, 1,000 pooled clients, a drill), and on two cores a frozen leader's
/// rejoin then raced Patroni's rewind check; alone, the same class passed every time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresAloneCollection
{
    public const string Name = "postgres-alone";
}
