namespace Hangar.Postgres.Config;

/// <summary>
/// Patroni's leader-lease timing. A dead leader is noticed when its key expires (<see cref="Ttl"/>), and a
/// replica acts on its next loop (<see cref="LoopWait"/>), so failover after a crash takes about ttl + loop_wait.
/// Patroni's own rule is loop_wait + 2 * retry_timeout &lt;= ttl: the leader must get two retries of an etcd call
/// in before its lease could run out, or a slow etcd would demote a healthy leader.
/// </summary>
public sealed record PatroniTiming(int Ttl, int LoopWait, int RetryTimeout)
{
    /// <summary>
    /// The default. Measured on loopback (3 nodes, synchronous_mode, 2 shared cores): kill -9 of the leader's
    /// Patroni and postmaster to the first write on the promoted sync standby took 9-11 s; 8/1/3 took 8.4 s;
    /// 6/1/2 took 5-6.5 s on a quiet host but 16.5 s (and a 55 s bootstrap) under a load average of 16, so the
    /// lower values buy little and flap when the host is busy. Use <c>DeadLeaderRelease</c> for the fast path.
    /// </summary>
    public static PatroniTiming Fast { get; } = new(10, 1, 4);

    /// <summary>Patroni's defaults, for hosts where etcd may stall for seconds (slow disks, busy VMs).</summary>
    public static PatroniTiming Conservative { get; } = new(30, 10, 10);

    /// <summary>Every problem with these values; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (LoopWait < 1)
        {
            problems.Add($"loop_wait {LoopWait} must be at least 1 second");
        }

        if (RetryTimeout < 1)
        {
            problems.Add($"retry_timeout {RetryTimeout} must be at least 1 second");
        }

        // etcd refuses lease TTLs below its minimum (about 2 s with default election timing).
        if (Ttl < 5)
        {
            problems.Add($"ttl {Ttl} must be at least 5 seconds");
        }

        if (LoopWait + (2 * RetryTimeout) > Ttl)
        {
            problems.Add($"loop_wait ({LoopWait}) + 2 * retry_timeout ({RetryTimeout}) must not exceed ttl ({Ttl})");
        }

        return problems;
    }
}
