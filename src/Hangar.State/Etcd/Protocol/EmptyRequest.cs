namespace Hangar.State.Etcd.Protocol;

internal sealed record EmptyRequest
{
    public static EmptyRequest Instance { get; } = new();
}
