using Hangar.Core.Resources;

namespace Hangar.Postgres.Rest;

/// <summary>What "healthy" means for a cluster, decided from Patroni's view of it; shared by the reconciler and the operations.</summary>
public static class ClusterHealth
{
    /// <summary>One running leader among the recorded nodes, every node a running member, replicas caught up, and a sync standby when asked for.</summary>
    public static bool IsHealthy(PostgresRecord cluster, PatroniCluster state)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(state);
        var names = cluster.Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var members = state.Members.Where(m => names.Contains(m.Name)).ToList();
        return state.Leader is { IsRunning: true } leader && names.Contains(leader.Name)
            && members.Count == names.Count
            && members.All(m => m.IsRunning && (m.IsLeader || m.LagBytes == 0))
            && (!cluster.Synchronous || names.Count == 1 || members.Any(m => m.Role == PatroniRoles.SyncStandby));
    }

    /// <summary>One line per cluster for errors and logs: each member's role, state and lag.</summary>
    public static string Describe(PatroniCluster state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Members.Count == 0 ? "no members" : string.Join(", ", state.Members.Select(m => $"{m.Name} {m.Role} {m.State}{(m.LagBytes is > 0 ? $" lag {m.LagBytes}" : string.Empty)}"));
    }
}
