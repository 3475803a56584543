using Hangar.Core.Resources;

namespace Hangar.Postgres.Operations;

/// <summary>
/// The order of a rolling restart: <see cref="Replicas"/> one by one, then (when <see cref="Leader"/> is to be
/// restarted too) a switchover away from it if there is anyone to hand over to, then the old leader.
/// </summary>
public sealed record RestartPlan(IReadOnlyList<PostgresNodeRecord> Replicas, PostgresNodeRecord? Leader, bool SwitchoverFirst)
{
    /// <param name="only">The nodes to restart (those with a parameter pending a restart); every node when null.</param>
    public static RestartPlan For(PostgresRecord cluster, string leader, IReadOnlyCollection<string>? only)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var replicas = cluster.Nodes.Where(n => n.Name != leader && (only is null || only.Contains(n.Name))).OrderBy(n => n.Ordinal).ToList();
        var old = only is null || only.Contains(leader) ? cluster.Nodes.FirstOrDefault(n => n.Name == leader) : null;

        // The leader is restarted only once it no longer leads: writes pause for a switchover, not a restart.
        return new RestartPlan(replicas, old, old is not null && cluster.Nodes.Count > 1);
    }
}
