namespace Hangar.Postgres.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class PgClusterCollection : ICollectionFixture<PgClusterFixture>
{
    public const string Name = "pg cluster";
}
