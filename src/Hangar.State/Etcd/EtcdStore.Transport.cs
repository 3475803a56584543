using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hangar.State.Etcd.Protocol;

namespace Hangar.State.Etcd;

public sealed partial class EtcdStore
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    /// <summary>Index of the endpoint that answered last; requests start there so a dead first endpoint costs one connect timeout, not one per request.</summary>
    private int _preferredEndpoint;

    private async Task<TResponse> PostAsync<TRequest, TResponse>(
        string path,
        TRequest request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        FailoverPolicy policy,
        CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        return await SendAsync(HttpMethod.Post, path, body, responseType, policy, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResponse> SendAsync<TResponse>(
        HttpMethod method,
        string path,
        byte[]? body,
        JsonTypeInfo<TResponse> responseType,
        FailoverPolicy policy,
        CancellationToken cancellationToken)
    {
        // ResponseContentRead: the body is buffered inside the per-attempt timeout, so a member that stalls
        // mid-response is failed over like one that never answers.
        using var response = await OpenAsync(method, path, body, HttpCompletionOption.ResponseContentRead, policy, cancellationToken).ConfigureAwait(false);
        var json = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(json, responseType)
                ?? throw new EtcdException($"etcd answered {path} with an empty body.");
        }
        catch (JsonException ex)
        {
            throw new EtcdException($"etcd answered {path} with a body that is not the expected JSON.", ex);
        }
    }

    /// <summary>
    /// Sends one request, moving through the endpoints (starting with the one that answered last) while
    /// <paramref name="policy"/> allows. Returns a 2xx response for the caller to read and dispose.
    /// </summary>
    private async Task<HttpResponseMessage> OpenAsync(
        HttpMethod method,
        string path,
        byte[]? body,
        HttpCompletionOption completion,
        FailoverPolicy policy,
        CancellationToken cancellationToken)
    {
        var endpoints = _options.Endpoints;
        var first = Volatile.Read(ref _preferredEndpoint);
        var failures = new List<string>();
        Exception? lastFailure = null;
        for (var attempt = 0; attempt < endpoints.Count; attempt++)
        {
            var index = (first + attempt) % endpoints.Count;
            var endpoint = endpoints[index];
            using var request = new HttpRequestMessage(method, new Uri(endpoint, path));
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body) { Headers = { ContentType = JsonMediaType } };
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                var reason = $"{endpoint}: no answer within {_options.RequestTimeout.TotalSeconds:0.#}s";
                if (policy != FailoverPolicy.AnyFailure)
                {
                    throw new EtcdException($"etcd {reason}; the write may or may not have been applied.", ex);
                }

                Log.EndpointFailed(_logger, endpoint, path, reason);
                failures.Add(reason);
                lastFailure = ex;
                continue;
            }
            catch (HttpRequestException ex)
            {
                var reason = $"{endpoint}: {ex.Message}";
                if (policy != FailoverPolicy.AnyFailure && ex.HttpRequestError != HttpRequestError.ConnectionError)
                {
                    throw new EtcdException($"etcd {reason}; the write may or may not have been applied.", ex);
                }

                Log.EndpointFailed(_logger, endpoint, path, reason);
                failures.Add(reason);
                lastFailure = ex;
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                Volatile.Write(ref _preferredEndpoint, index);
                return response;
            }

            using (response)
            {
                var error = await ReadErrorAsync(endpoint, response, cancellationToken).ConfigureAwait(false);

                // 5xx means this member cannot serve (no leader, shutting down); another member may. Anything
                // else is etcd judging the request itself, and every member would judge it the same way.
                if ((int)response.StatusCode < 500 || policy != FailoverPolicy.AnyFailure)
                {
                    throw error;
                }

                Log.EndpointFailed(_logger, endpoint, path, error.Message);
                failures.Add(error.Message);
                lastFailure = error;
            }
        }

        throw new EtcdException($"No etcd endpoint answered {path}: {string.Join("; ", failures)}", lastFailure);
    }

    private static async Task<Exception> ReadErrorAsync(Uri endpoint, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        GatewayError? error = null;
        try
        {
            var json = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            error = JsonSerializer.Deserialize(json, EtcdJsonContext.Default.GatewayError);
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException)
        {
            // Not the gateway's error shape (a proxy, a member still starting); the status code is all there is.
        }

        var message = $"{endpoint}: HTTP {(int)response.StatusCode} {error?.Message ?? error?.Error ?? response.ReasonPhrase}";

        // gRPC InvalidArgument: an empty key, two puts of one key in a txn, too many ops — the caller's mistake.
        return error?.Code == 3 && response.StatusCode == HttpStatusCode.BadRequest
            ? new ArgumentException(error.Message ?? error.Error)
            : error is { Code: not 0 } ? new EtcdException(message, error.Code) : new EtcdException(message);
    }
}
