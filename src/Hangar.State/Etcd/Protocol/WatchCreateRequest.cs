namespace Hangar.State.Etcd.Protocol;

internal sealed record WatchCreateRequest
{
    public required byte[] Key { get; init; }

    public byte[]? RangeEnd { get; init; }

    public long StartRevision { get; init; }

    public bool ProgressNotify { get; init; }
}
