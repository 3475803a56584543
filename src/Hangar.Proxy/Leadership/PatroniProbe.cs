using System.Net;
using System.Text.Json;

namespace Hangar.Proxy.Leadership;

/// <summary>Asks one Patroni REST API whether its node is the running leader.</summary>
internal sealed class PatroniProbe : IDisposable
{
    private readonly HttpClient _client;

    public PatroniProbe()
    {
        // The probe must reach the node directly: an http_proxy in the environment or a redirect
        // would make the answer about some other machine.
        _client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxConnectionsPerServer = 2,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public static Uri PrimaryUri(Uri patroniUrl) => new(patroniUrl.AbsoluteUri.TrimEnd('/') + "/primary");

    /// <summary>Returns the outcome and, when unreachable, why; never throws except on <paramref name="cancellationToken"/>.</summary>
    /// <param name="requireWritable">
    /// Also require the body's role to be master: Patroni answers 200 as soon as it holds the leader key, while a node
    /// it just promoted is still in recovery (read-only) for up to a second or two. A resumed suspended cluster
    /// (scale to zero) starts that way every time, so its held connections wait for the end of recovery instead.
    /// </param>
    public async Task<(ProbeOutcome Outcome, string? Error)> ProbeAsync(Uri primaryUri, TimeSpan timeout, bool requireWritable, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, primaryUri);
            // The JSON body is not needed; disposing the response drains the small remainder so the
            // keep-alive connection is reused for the next poll.
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (ProbeOutcome.NotLeader, null);
            }

            if (requireWritable)
            {
                using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeoutSource.Token).ConfigureAwait(false), default, timeoutSource.Token).ConfigureAwait(false);
                var writable = body.RootElement.TryGetProperty("role", out var role) && role.GetString() is "master" or "primary";
                return (writable ? ProbeOutcome.Leader : ProbeOutcome.NotLeader, null);
            }

            return (ProbeOutcome.Leader, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (ProbeOutcome.Unreachable, $"no answer within {timeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // HttpClient reports refused/reset connections only as exceptions (HttpRequestException,
            // and a few others for malformed answers); this is the control path, a few polls a
            // second per node, not the data path. Whatever went wrong, the node did not say 200.
            return (ProbeOutcome.Unreachable, e.Message);
        }
    }

    public void Dispose() => _client.Dispose();
}
