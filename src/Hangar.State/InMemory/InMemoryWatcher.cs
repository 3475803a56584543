using System.Threading.Channels;

namespace Hangar.State.InMemory;

/// <summary>One open watch: the events of committed txns under <see cref="Prefix"/> are written to its channel.</summary>
internal sealed class InMemoryWatcher(string prefix)
{
    private readonly Channel<WatchEvent> _channel = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });

    public string Prefix { get; } = prefix;

    public ChannelReader<WatchEvent> Reader => _channel.Reader;

    public void Offer(WatchEvent watchEvent)
    {
        if (watchEvent.Key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            // Unbounded, so this never fails while the watch is open.
            _channel.Writer.TryWrite(watchEvent);
        }
    }
}
