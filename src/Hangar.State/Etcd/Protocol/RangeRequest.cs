namespace Hangar.State.Etcd.Protocol;

internal sealed record RangeRequest
{
    public required byte[] Key { get; init; }

    public byte[]? RangeEnd { get; init; }

    public long? Limit { get; init; }

    /// <summary>Pins later pages of one listing to the snapshot the first page saw.</summary>
    public long? Revision { get; init; }

    public bool? CountOnly { get; init; }
}
