using System.Net;

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
    public async Task<(ProbeOutcome Outcome, string? Error)> ProbeAsync(Uri primaryUri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, primaryUri);
            // The JSON body is not needed; disposing the response drains the small remainder so the
            // keep-alive connection is reused for the next poll.
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
            return (response.StatusCode == HttpStatusCode.OK ? ProbeOutcome.Leader : ProbeOutcome.NotLeader, null);
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
