using Hangar.Core.Resources;
using Hangar.Postgres.Rest;

namespace Hangar.Postgres.Tests.Operations;

/// <summary>Patroni's /cluster answers and cluster records, as the operations see them, for unit tests.</summary>
internal static class Members
{
    public static PatroniMember Leader(string name) => new(name, PatroniRoles.Leader, "running", "127.0.0.1", 5432, 1, null, false, null);

    public static PatroniMember Replica(string name, long? lag = 0, string role = PatroniRoles.Replica, string state = "streaming") =>
        new(name, role, state, "127.0.0.1", 5432, 1, lag, false, null);

    public static PatroniCluster Answer(params PatroniMember[] members) => new("db", members, false);

    public static PostgresRecord Record(int nodes, bool synchronous = false) => new()
    {
        Name = "db",
        Region = "local",
        CreatedAt = DateTimeOffset.UnixEpoch,
        Preset = "custom",
        NodeCount = nodes,
        VolumeSizeGb = 1,
        Synchronous = synchronous,
        CredentialsCiphertext = "-",
        CertificateCiphertext = "-",
        Nodes = [.. Enumerable.Range(1, nodes).Select(i => new PostgresNodeRecord($"db-{i}", i, 5432 + i, 8008 + i, $"vol_{i}"))],
    };
}
