namespace Hangar.State.Etcd.Protocol;

/// <summary>One line of the gateway's streamed watch response: a result, or an error that ends the stream.</summary>
internal sealed record WatchStreamMessage
{
    public WatchResponse? Result { get; init; }

    public StreamError? Error { get; init; }
}
