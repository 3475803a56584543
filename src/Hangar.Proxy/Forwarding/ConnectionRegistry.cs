using Hangar.Proxy.Configuration;

namespace Hangar.Proxy.Forwarding;

/// <summary>
/// The live forwarded connections. Adding checks the leader under the same lock the failover sweep
/// takes, so a connection set up to the old leader either is swept or is refused and retried:
/// none slips through a leader change.
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly Lock _gate = new();
    private readonly HashSet<ForwardedConnection> _connections = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    public bool TryAdd(ForwardedConnection connection, Func<ProxyNodeConfig, bool> isLeader)
    {
        lock (_gate)
        {
            if (!isLeader(connection.Node))
            {
                return false;
            }

            _connections.Add(connection);
            return true;
        }
    }

    /// <summary>After this returns, no sweep can touch <paramref name="connection"/>, so it may be disposed.</summary>
    public void Remove(ForwardedConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
        }
    }

    /// <summary>Aborts every connection whose node matches; returns how many.</summary>
    public int Abort(Func<ProxyNodeConfig, bool> nodeMatches)
    {
        var count = 0;
        lock (_gate)
        {
            foreach (var connection in _connections)
            {
                if (nodeMatches(connection.Node) && connection.Abort())
                {
                    count++;
                }
            }
        }

        return count;
    }

    public Dictionary<string, int> CountByNode()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var connection in _connections)
            {
                counts[connection.Node.Name] = counts.GetValueOrDefault(connection.Node.Name) + 1;
            }
        }

        return counts;
    }
}
