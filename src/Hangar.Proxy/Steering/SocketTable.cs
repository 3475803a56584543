using System.Globalization;
using System.Net;
using Hangar.Core.Unix;

namespace Hangar.Proxy.Steering;

/// <summary>This host's IPv4 TCP sockets as /proc/net/tcp lists them, and which process holds one (/proc/PID/fd).</summary>
internal static class SocketTable
{
    private const string Listen = "0A";
    private const string Established = "01";

    /// <summary>The inode of the socket listening on <paramref name="address"/>:<paramref name="port"/> (or on 0.0.0.0 with that port).</summary>
    public static long? ListeningInode(IPAddress address, int port) =>
        Entries().Where(e => e.State == Listen && e.LocalPort == port && (e.LocalAddress.Equals(address) || e.LocalAddress.Equals(IPAddress.Any)))
            .Select(e => (long?)e.Inode).FirstOrDefault();

    /// <summary>Inodes of established sockets whose local end is <paramref name="port"/>: with steering, the leader's side of each client connection.</summary>
    public static HashSet<long> EstablishedInodes(int port) =>
        Entries().Where(e => e.State == Established && e.LocalPort == port).Select(e => e.Inode).ToHashSet();

    /// <summary>The first process (and its fd number) that holds the socket <paramref name="inode"/>.</summary>
    public static (int Pid, int Fd)? Holder(long inode)
    {
        var link = SocketLink(inode);
        foreach (var pid in Pids())
        {
            foreach (var (fd, target) in Descriptors(pid))
            {
                if (target == link)
                {
                    return (pid, fd);
                }
            }
        }

        return null;
    }

    /// <summary>Children of <paramref name="parent"/> holding any of <paramref name="inodes"/> (PostgreSQL backends serving those connections).</summary>
    public static List<int> ChildrenHolding(int parent, HashSet<long> inodes)
    {
        var links = inodes.Select(SocketLink).ToHashSet(StringComparer.Ordinal);
        return Pids().Where(pid => ParentOf(pid) == parent && Descriptors(pid).Any(d => links.Contains(d.Target))).ToList();
    }

    /// <summary>How many of <paramref name="inodes"/> this process holds itself.</summary>
    public static int HeldBySelf(HashSet<long> inodes)
    {
        var links = inodes.Select(SocketLink).ToHashSet(StringComparer.Ordinal);
        return Descriptors(Environment.ProcessId).Count(d => links.Contains(d.Target));
    }

    public static string SocketLink(long inode) => "socket:[" + inode.ToString(CultureInfo.InvariantCulture) + "]";

    public static string? LinkOf(int pid, int fd)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<(string State, IPAddress LocalAddress, int LocalPort, long Inode)> Entries()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/net/tcp");
        }
        catch (IOException)
        {
            yield break;
        }

        // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."; addresses are
        // the raw network-order word in hex, ports in host order.
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[1].Split(':') is not [var address, var port]
                || !uint.TryParse(address, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var raw)
                || !int.TryParse(port, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var localPort)
                || !long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
            {
                continue;
            }

            yield return (fields[3], new IPAddress(raw), localPort, inode);
        }
    }

    private static IEnumerable<int> Pids()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    private static List<(int Fd, string Target)> Descriptors(int pid)
    {
        var result = new List<(int, string)>();
        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var fd)
                    && LinkOf(pid, fd) is { } target && target.StartsWith("socket:", StringComparison.Ordinal))
                {
                    result.Add((fd, target));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone, or not ours to look at.
        }

        return result;
    }

    private static int? ParentOf(int pid) =>
        ProcStat.Fields(pid) is [_, var parent, ..] && int.TryParse(parent, NumberStyles.None, CultureInfo.InvariantCulture, out var ppid) ? ppid : null;
}
