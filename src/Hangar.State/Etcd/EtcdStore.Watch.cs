using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Hangar.State.Etcd.Protocol;

namespace Hangar.State.Etcd;

public sealed partial class EtcdStore
{
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        string prefix,
        long afterRevision,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        var (key, rangeEnd) = EtcdKeys.PrefixRange(prefix);
        var request = new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = key,
                RangeEnd = rangeEnd,
                StartRevision = afterRevision + 1,

                // Progress notifications keep an idle stream from looking dead to proxies and idle timers.
                ProgressNotify = true,
            },
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(request, EtcdJsonContext.Default.WatchRequest);

        // Only opening the stream fails over: once events have flowed, silently reconnecting elsewhere could
        // skip or repeat events, so a broken stream ends the watch and the caller resyncs from a list.
        using var response = await OpenAsync(
            HttpMethod.Post, "/v3/watch", body, HttpCompletionOption.ResponseHeadersRead, FailoverPolicy.AnyFailure, cancellationToken).ConfigureAwait(false);
        var endpoint = response.RequestMessage?.RequestUri ?? _options.Endpoints[0];
        Log.WatchStarted(_logger, prefix, afterRevision, endpoint);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = stream.ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                Log.WatchEnded(_logger, prefix, ex.Message);
                throw new EtcdException($"etcd watch on '{prefix}' via {endpoint} broke: {ex.Message}", ex);
            }

            if (line is null)
            {
                Log.WatchEnded(_logger, prefix, "stream closed");
                throw new EtcdException($"etcd closed the watch on '{prefix}' via {endpoint}.");
            }

            if (line.Length == 0)
            {
                continue;
            }

            foreach (var watchEvent in ParseWatchLine(prefix, line))
            {
                yield return watchEvent;
            }
        }
    }

    private IEnumerable<WatchEvent> ParseWatchLine(string prefix, string line)
    {
        WatchStreamMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(line, EtcdJsonContext.Default.WatchStreamMessage);
        }
        catch (JsonException ex)
        {
            throw new EtcdException($"etcd watch on '{prefix}' sent a line that is not JSON.", ex);
        }

        if (message?.Error is { } error)
        {
            Log.WatchEnded(_logger, prefix, error.Message ?? "error");
            throw new EtcdException($"etcd watch on '{prefix}' failed: {error.Message}", error.GrpcCode);
        }

        var result = message?.Result;
        if (result is null)
        {
            return [];
        }

        if (result.CompactRevision != 0)
        {
            // The requested history is gone; the caller must list afresh and watch from there.
            Log.WatchEnded(_logger, prefix, "revision compacted");
            throw new EtcdException(
                $"etcd watch on '{prefix}': the start revision has been compacted (oldest kept is {result.CompactRevision}).",
                grpcCode: 11);
        }

        if (result.Canceled)
        {
            Log.WatchEnded(_logger, prefix, result.CancelReason ?? "canceled");
            throw new EtcdException($"etcd canceled the watch on '{prefix}': {result.CancelReason}");
        }

        // The "created" confirmation and progress notifications carry no events.
        return result.Events is { Count: > 0 } events ? events.Select(ToWatchEvent) : [];
    }

    private static WatchEvent ToWatchEvent(Event e)
    {
        var kv = e.Kv ?? throw new EtcdException("etcd watch event without a key.");
        var key = EtcdKeys.Decode(kv.Key);
        return e.Type == "DELETE"
            ? new WatchEvent(WatchEventKind.Delete, key, null, kv.ModRevision)
            : new WatchEvent(WatchEventKind.Put, key, kv.Value ?? [], kv.ModRevision);
    }
}
