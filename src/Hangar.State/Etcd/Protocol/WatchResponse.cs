namespace Hangar.State.Etcd.Protocol;

internal sealed record WatchResponse
{
    public ResponseHeader? Header { get; init; }

    public bool Created { get; init; }

    public bool Canceled { get; init; }

    public long CompactRevision { get; init; }

    public string? CancelReason { get; init; }

    public IReadOnlyList<Event>? Events { get; init; }
}
