namespace Hangar.State.Etcd;

/// <summary>A single-member etcd cluster embedded in the daemon, listening on loopback.</summary>
public sealed record EtcdMemberOptions
{
    public required string Name { get; init; }

    public required string DataDirectory { get; init; }

    public required int ClientPort { get; init; }

    public required int PeerPort { get; init; }

    /// <summary>Loopback by default: the store holds credentials and is reached only by the daemon.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>
    /// History kept for watches to resume from. Older revisions are compacted; a watch that asks for them fails and
    /// its owner resyncs with a list, so this only needs to outlast a daemon restart.
    /// </summary>
    public TimeSpan CompactionRetention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>etcd refuses writes (raises a NOSPACE alarm) past this backend size; its own default is 2 GiB.</summary>
    public long QuotaBackendBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    public Uri ClientUrl => new UriBuilder(Uri.UriSchemeHttp, Host, ClientPort).Uri;

    public Uri PeerUrl => new UriBuilder(Uri.UriSchemeHttp, Host, PeerPort).Uri;
}
