using Hangar.State.Etcd.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hangar.State.Etcd;

/// <summary>
/// <see cref="IKeyValueStore"/> over etcd v3.4's JSON gateway (<c>/v3/kv/*</c>, <c>/v3/watch</c>) with a plain
/// <see cref="HttpClient"/>: no gRPC stack is available to the daemon, and the gateway covers everything the store needs.
/// </summary>
public sealed partial class EtcdStore : IKeyValueStore, IDisposable
{
    private readonly EtcdStoreOptions _options;
    private readonly ILogger _logger;
    private readonly HttpClient _http;

    public EtcdStore(EtcdStoreOptions options, ILogger<EtcdStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Endpoints.Count == 0)
        {
            throw new ArgumentException("At least one etcd endpoint is required.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.RangePageSize, 1, nameof(options));
        _options = options;
        _logger = logger ?? NullLogger<EtcdStore>.Instance;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout })
        {
            // Per-attempt timeouts are applied by SendAsync; a single client-wide timeout would also cut watches.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var response = await PostAsync(
            "/v3/kv/range",
            new RangeRequest { Key = EtcdKeys.Encode(key) },
            EtcdJsonContext.Default.RangeRequest,
            EtcdJsonContext.Default.RangeResponse,
            FailoverPolicy.AnyFailure,
            cancellationToken).ConfigureAwait(false);
        return response.Kvs is [var kv, ..] ? ToEntry(kv) : null;
    }

    public async Task<IReadOnlyList<StoreEntry>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var (key, rangeEnd) = EtcdKeys.PrefixRange(prefix);
        var entries = new List<StoreEntry>();
        long? revision = null;
        while (true)
        {
            // No sort_order: etcd returns a range in key order already, and in 3.4 an explicit sort makes the
            // server read the whole range before applying the limit, which defeats paging.
            var page = await PostAsync(
                "/v3/kv/range",
                new RangeRequest { Key = key, RangeEnd = rangeEnd, Limit = _options.RangePageSize, Revision = revision },
                EtcdJsonContext.Default.RangeRequest,
                EtcdJsonContext.Default.RangeResponse,
                FailoverPolicy.AnyFailure,
                cancellationToken).ConfigureAwait(false);
            revision ??= page.Header?.Revision;
            var kvs = page.Kvs ?? [];
            entries.AddRange(kvs.Select(ToEntry));
            if (!page.More || kvs.Count == 0)
            {
                return entries;
            }

            key = EtcdKeys.Successor(kvs[^1].Key);
        }
    }

    public async Task<long?> TryCommitAsync(StoreTxn txn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(txn);
        var request = new TxnRequest
        {
            Compare = [.. txn.Conditions.Select(ToCompare)],
            Success = [.. txn.Ops.Select(ToRequestOp)],
        };

        // A txn is not idempotent: once it may have reached a member, sending it again elsewhere could apply it
        // twice, or report a condition failure for a write that in fact succeeded.
        var response = await PostAsync(
            "/v3/kv/txn",
            request,
            EtcdJsonContext.Default.TxnRequest,
            EtcdJsonContext.Default.TxnResponse,
            FailoverPolicy.ConnectFailureOnly,
            cancellationToken).ConfigureAwait(false);
        return response.Succeeded ? RequireRevision(response.Header) : null;
    }

    public async Task<long> RevisionAsync(CancellationToken cancellationToken)
    {
        // Any range answers with the current revision in its header; count_only keeps the answer empty.
        var response = await PostAsync(
            "/v3/kv/range",
            new RangeRequest { Key = [0], CountOnly = true },
            EtcdJsonContext.Default.RangeRequest,
            EtcdJsonContext.Default.RangeResponse,
            FailoverPolicy.AnyFailure,
            cancellationToken).ConfigureAwait(false);
        return RequireRevision(response.Header);
    }

    public async Task<StoreHealth> HealthAsync(CancellationToken cancellationToken)
    {
        var endpoints = _options.Endpoints.Select(e => e.ToString()).ToArray();
        try
        {
            // /health goes through raft (a quorum read), so it fails without a leader; status adds the version.
            var health = await SendAsync(
                HttpMethod.Get, "/health", null, EtcdJsonContext.Default.HealthResponse, FailoverPolicy.AnyFailure, cancellationToken).ConfigureAwait(false);
            var status = await PostAsync(
                "/v3/maintenance/status",
                EmptyRequest.Instance,
                EtcdJsonContext.Default.EmptyRequest,
                EtcdJsonContext.Default.StatusResponse,
                FailoverPolicy.AnyFailure,
                cancellationToken).ConfigureAwait(false);
            var error = health.Health != "true" ? "etcd reports unhealthy"
                : status.Leader == 0 ? "etcd has no leader"
                : null;
            return new StoreHealth(error is null, "etcd", status.Version, endpoints, error);
        }
        catch (EtcdException ex)
        {
            return new StoreHealth(false, "etcd", null, endpoints, ex.Message);
        }
    }

    public void Dispose() => _http.Dispose();

    private static StoreEntry ToEntry(KeyValue kv) =>
        new(EtcdKeys.Decode(kv.Key), kv.Value ?? [], kv.ModRevision, kv.CreateRevision);

    private static Compare ToCompare(StoreCondition condition) =>
        condition.ExpectedModRevision == 0
            // "Absent" is create_revision == 0: etcd compares a missing key as if all its revisions were 0.
            ? new Compare { Key = EtcdKeys.Encode(condition.Key), Target = "CREATE", CreateRevision = 0 }
            : new Compare { Key = EtcdKeys.Encode(condition.Key), Target = "MOD", ModRevision = condition.ExpectedModRevision };

    private static RequestOp ToRequestOp(StoreOp op)
    {
        switch (op)
        {
            case PutOp put:
                return new RequestOp { RequestPut = new PutRequest { Key = EtcdKeys.Encode(put.Key), Value = put.Value } };
            case DeleteOp delete:
                return new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Encode(delete.Key) } };
            case DeletePrefixOp deletePrefix:
                var (key, rangeEnd) = EtcdKeys.PrefixRange(deletePrefix.Key);
                return new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = key, RangeEnd = rangeEnd } };
            default:
                throw new ArgumentException($"Unsupported store operation {op.GetType().Name}.", nameof(op));
        }
    }

    private static long RequireRevision(ResponseHeader? header) =>
        header?.Revision is > 0 and var revision ? revision : throw new EtcdException("etcd response carried no revision.");
}
