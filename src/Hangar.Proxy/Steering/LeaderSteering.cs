using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Hangar.Proxy.Configuration;

namespace Hangar.Proxy.Steering;

/// <summary>
/// Kernel steering of the cluster port: a BPF sk_lookup program attached to this network namespace hands each new
/// connection to the cluster's address and port straight to the socket in a one-slot sockmap — the leader
/// PostgreSQL's own listening socket, duplicated out of the postmaster with pidfd_getfd. The connection is then the
/// client's and PostgreSQL's alone: no byte passes through this process. An empty slot (no leader known, or the
/// leader's postmaster gone, which empties it by itself) and a dead proxy (the link goes with its fd) leave new
/// connections to the normal lookup, i.e. the proxy's own listener or nothing.
/// </summary>
internal sealed class LeaderSteering : IDisposable
{
    private static readonly TimeSpan[] TerminatePasses = [TimeSpan.Zero, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(1)];

    private readonly int _map;
    private readonly int _link;
    private readonly int _port;
    private int _disposed;

    private LeaderSteering(int map, int link, int port)
    {
        _map = map;
        _link = link;
        _port = port;
    }

    /// <summary>Loads and attaches the program for <paramref name="listen"/>; null with the reason when this host cannot (not root, no BPF, IPv6).</summary>
    public static unsafe LeaderSteering? TryStart(IPEndPoint listen, out string? error)
    {
        if (!SteeringNative.Supported || listen.AddressFamily != AddressFamily.InterNetwork)
        {
            error = "needs Linux on x64 or arm64 and an IPv4 cluster address";
            return null;
        }

        var attr = stackalloc byte[SteeringNative.AttrSize];
        *(uint*)attr = SteeringNative.MapTypeSockmap;
        *(uint*)(attr + 4) = sizeof(uint);   // key: slot 0
        *(uint*)(attr + 8) = sizeof(ulong);  // value: a socket fd in, its cookie out
        *(uint*)(attr + 12) = 1;
        var map = SteeringNative.Bpf(SteeringNative.MapCreate, attr);
        if (map < 0)
        {
            error = "creating the sockmap failed: " + SteeringNative.LastError();
            return null;
        }

        var program = Load(map, listen, out error);
        if (program < 0)
        {
            SteeringNative.Close(map);
            return null;
        }

        var netns = SteeringNative.OpenForReading("/proc/self/ns/net");
        var link = -1;
        if (netns >= 0)
        {
            new Span<byte>(attr, SteeringNative.AttrSize).Clear();
            *(uint*)attr = (uint)program;
            *(uint*)(attr + 4) = (uint)netns;
            *(uint*)(attr + 8) = SteeringNative.AttachTypeSkLookup;
            link = SteeringNative.Bpf(SteeringNative.LinkCreate, attr);
            error = link < 0 ? "attaching to the network namespace failed: " + SteeringNative.LastError() : null;
            SteeringNative.Close(netns);
        }
        else
        {
            error = "opening /proc/self/ns/net failed: " + SteeringNative.LastError();
        }

        // The link holds the program; the program holds the map.
        SteeringNative.Close(program);
        if (link < 0)
        {
            SteeringNative.Close(map);
            return null;
        }

        return new LeaderSteering(map, link, listen.Port);
    }

    /// <summary>
    /// Puts the socket listening on <paramref name="node"/>'s address and port into the slot. Returns the pid of the
    /// process that holds it (the postmaster), or null and why (the leader is not on this host, or not listening yet).
    /// </summary>
    public unsafe (int? Pid, string? Error) Steer(ProxyNodeConfig node)
    {
        if (!IPAddress.TryParse(node.Host, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return (null, $"{node.Host} is not an IPv4 address");
        }

        if (SocketTable.ListeningInode(address, node.Port) is not { } inode || SocketTable.Holder(inode) is not var (pid, fd))
        {
            return (null, $"nothing on this host listens on {node.Host}:{node.Port}");
        }

        var pidfd = SteeringNative.PidfdOpen(pid);
        if (pidfd < 0)
        {
            return (null, $"pidfd_open({pid}) failed: {SteeringNative.LastError()}");
        }

        var copy = SteeringNative.PidfdGetfd(pidfd, fd);
        var error = copy < 0 ? $"pidfd_getfd({pid}, {fd}) failed: {SteeringNative.LastError()}" : null;
        SteeringNative.Close(pidfd);
        if (copy < 0)
        {
            return (null, error);
        }

        try
        {
            // The fd number may have been reused between the scan and the copy: it must be that very socket.
            if (SocketTable.LinkOf(Environment.ProcessId, copy) != SocketTable.SocketLink(inode))
            {
                return (null, $"the listening socket of {node.Host}:{node.Port} changed while it was taken");
            }

            var key = 0u;
            var value = (ulong)copy;
            var attr = stackalloc byte[SteeringNative.AttrSize];
            SlotAttr(attr, &key, &value);
            return SteeringNative.Bpf(SteeringNative.MapUpdateElem, attr) == 0
                ? (pid, null)
                : (null, "updating the sockmap failed: " + SteeringNative.LastError());
        }
        finally
        {
            // Never keep the copy: it would keep the leader's listening socket (and its port) alive after its
            // postmaster exits, and connections steered to it would hang. The map holds no file reference.
            SteeringNative.Close(copy);
        }
    }

    /// <summary>Whether the slot holds a socket; it empties by itself when that socket closes.</summary>
    public unsafe bool HasTarget()
    {
        var key = 0u;
        var cookie = 0ul;
        var attr = stackalloc byte[SteeringNative.AttrSize];
        SlotAttr(attr, &key, &cookie);
        return SteeringNative.Bpf(SteeringNative.MapLookupElem, attr) == 0;
    }

    /// <summary>Empties the slot: new connections go to the proxy's own listener.</summary>
    public unsafe void Clear()
    {
        var key = 0u;
        var attr = stackalloc byte[SteeringNative.AttrSize];
        SlotAttr(attr, &key, null);
        if (SteeringNative.Bpf(SteeringNative.MapDeleteElem, attr) != 0 && Marshal.GetLastPInvokeError() != SteeringNative.Enoent)
        {
            throw new InvalidOperationException("emptying the sockmap failed: " + SteeringNative.LastError());
        }
    }

    /// <summary>
    /// Ends the connections an old leader still serves on the cluster port: SIGTERM to each of its backends (the
    /// client gets PostgreSQL's "terminating connection" error). Several passes, for connections that were still
    /// in its accept queue when the slot changed. Returns how many backends were signalled.
    /// </summary>
    public async Task<int> TerminateAsync(int postmaster, CancellationToken cancellationToken)
    {
        var signalled = new HashSet<int>();
        var waited = TimeSpan.Zero;
        foreach (var pass in TerminatePasses)
        {
            await Task.Delay(pass - waited, cancellationToken).ConfigureAwait(false);
            waited = pass;
            foreach (var backend in SocketTable.ChildrenHolding(postmaster, SocketTable.EstablishedInodes(_port)))
            {
                if (SteeringNative.Kill(backend, SteeringNative.SigTerm) == 0)
                {
                    signalled.Add(backend);
                }
            }
        }

        return signalled.Count;
    }

    /// <summary>Connections on the cluster port held by other processes than this one: the steered ones.</summary>
    public int SteeredConnections()
    {
        var established = SocketTable.EstablishedInodes(_port);
        return established.Count - SocketTable.HeldBySelf(established);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            SteeringNative.Close(_link);
            SteeringNative.Close(_map);
        }
    }

    /// <summary>The map element attributes of bpf(2): map_fd, key and (for lookup and update) value pointers.</summary>
    private unsafe void SlotAttr(byte* attr, uint* key, ulong* value)
    {
        *(uint*)attr = (uint)_map;
        *(ulong*)(attr + 8) = (ulong)key;
        *(ulong*)(attr + 16) = (ulong)value;
    }

    private static unsafe int Load(int map, IPEndPoint listen, out string? error)
    {
        var instructions = SkLookupProgram.Build(map, listen);
        var license = "GPL\0"u8;
        var log = new byte[16 * 1024];
        var attr = stackalloc byte[SteeringNative.AttrSize];
        fixed (ulong* code = instructions)
        fixed (byte* licensePointer = license)
        fixed (byte* logPointer = log)
        {
            *(uint*)attr = SteeringNative.ProgTypeSkLookup;
            *(uint*)(attr + 4) = (uint)instructions.Length;
            *(ulong*)(attr + 8) = (ulong)code;
            *(ulong*)(attr + 16) = (ulong)licensePointer;
            *(uint*)(attr + 24) = 1;                  // log_level: the verifier says why, if it refuses
            *(uint*)(attr + 28) = (uint)log.Length;
            *(ulong*)(attr + 32) = (ulong)logPointer;
            *(uint*)(attr + 68) = SteeringNative.AttachTypeSkLookup; // expected_attach_type
            var program = SteeringNative.Bpf(SteeringNative.ProgLoad, attr);
            error = program < 0
                ? $"loading the program failed: {SteeringNative.LastError()} {System.Text.Encoding.ASCII.GetString(log).TrimEnd('\0').Trim()}".Trim()
                : null;
            return program;
        }
    }
}
