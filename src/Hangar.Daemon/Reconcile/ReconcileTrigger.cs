using System.Threading.Channels;

namespace Hangar.Daemon.Reconcile;

/// <summary>Wakes a reconciler now instead of at its next resync; many pokes while it runs collapse into one pass.</summary>
internal sealed class ReconcileTrigger
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Poke() => _channel.Writer.TryWrite(true);

    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    public void Drain()
    {
        while (_channel.Reader.TryRead(out _))
        {
        }
    }
}
