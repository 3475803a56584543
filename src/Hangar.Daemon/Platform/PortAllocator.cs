using System.Net;
using System.Net.Sockets;
using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Daemon.Hosting;
using Hangar.State;

namespace Hangar.Daemon.Platform;

/// <summary>
/// Hands out TCP ports from one range, recorded in the store by owner so that two resources never get one port,
/// a restarted daemon gives an owner back the ports it had, and ports in use by anything else on the host are skipped.
/// </summary>
internal sealed class PortAllocator(RecordStore store, DaemonOptions options, TimeProvider time)
{
    /// <summary>Ports of <paramref name="owner"/>, allocating until it has <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<int>> EnsureAsync(string owner, int count, CancellationToken cancellationToken)
    {
        var taken = await store.ListAsync<PortRecord>(StoreKeys.Ports, cancellationToken);
        var mine = taken.Where(p => p.Value.Owner == owner).Select(p => p.Value.Port).Order().ToList();
        var used = taken.Select(p => p.Value.Port).ToHashSet();
        for (var port = options.PortRangeFirst; mine.Count < count && port <= options.PortRangeLast; port++)
        {
            if (used.Contains(port) || !IsFree(port))
            {
                continue;
            }

            if (await store.CreateAsync(StoreKeys.Port(port), new PortRecord(port, owner, time.GetUtcNow()), cancellationToken))
            {
                mine.Add(port);
            }
        }

        return mine.Count >= count
            ? mine.Take(count).ToList()
            : throw new HangarException(ErrorCodes.Unavailable, $"no free ports left in {options.PortRangeFirst}-{options.PortRangeLast} (hangar up --port-range)");
    }

    public async Task ReleaseAsync(string owner, CancellationToken cancellationToken)
    {
        foreach (var port in await store.ListAsync<PortRecord>(StoreKeys.Ports, cancellationToken))
        {
            if (port.Value.Owner == owner)
            {
                await store.Inner.DeleteAsync(StoreKeys.Port(port.Value.Port), cancellationToken);
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
