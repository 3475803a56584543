using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// A client that remembers every commit the server acknowledged (FAULTS.md's recording client): it inserts ids into
/// <c>frozen</c> through the URL it is given and reconnects on any error. With a short statement timeout it
/// abandons a statement that hangs, as an app with a query timeout does.
/// </summary>
internal sealed class RecordingWriter
{
    public const string Table = "CREATE TABLE IF NOT EXISTS frozen(id bigint primary key, writer text)";

    private static long _nextId = 10_000_000;
    private readonly ConcurrentBag<long> _acknowledged = [];
    private readonly ConcurrentDictionary<long, TimeSpan> _acknowledgedAt = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastAckTicks;

    public required string Url { get; init; }

    public required string Label { get; init; }

    public required int StatementTimeoutSeconds { get; init; }

    public IReadOnlyCollection<long> Acknowledged => _acknowledged;

    /// <summary>When the last acknowledged commit arrived, on <see cref="Clock"/>.</summary>
    public TimeSpan LastAcknowledged => TimeSpan.FromTicks(Interlocked.Read(ref _lastAckTicks));

    public Stopwatch Clock => _clock;

    /// <summary>When commit <paramref name="id"/> was acknowledged, on <see cref="Clock"/>.</summary>
    public TimeSpan AcknowledgedAt(long id) => _acknowledgedAt[id];

    public Task RunAsync(CancellationToken stop) => Task.Run(async () =>
    {
        var builder = new NpgsqlConnectionStringBuilder(Pg.Npgsql(Url, timeoutSeconds: 2)) { CommandTimeout = StatementTimeoutSeconds, CancellationTimeout = 1000 };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stop);
                while (!stop.IsCancellationRequested)
                {
                    var id = Interlocked.Increment(ref _nextId);
                    await using var insert = new NpgsqlCommand($"INSERT INTO frozen VALUES ({id}, '{Label}')", connection);

                    // Not the stop token: a commit in flight at the end is awaited, not abandoned unrecorded.
                    await insert.ExecuteNonQueryAsync(CancellationToken.None);
                    var now = _clock.Elapsed;
                    _acknowledgedAt[id] = now;
                    _acknowledged.Add(id);
                    Interlocked.Exchange(ref _lastAckTicks, now.Ticks);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException or OperationCanceledException)
            {
                await Task.Delay(20, CancellationToken.None);
            }
        }
    }, CancellationToken.None);

    /// <summary>Ids acknowledged to this writer that the cluster no longer has.</summary>
    public static async Task<List<long>> LostAsync(string url, IEnumerable<RecordingWriter> writers)
    {
        var present = new HashSet<long>();
        await using var connection = new NpgsqlConnection(Pg.Npgsql(url));
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("SELECT id FROM frozen", connection);
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            present.Add(reader.GetInt64(0));
        }

        return [.. writers.SelectMany(w => w.Acknowledged).Where(id => !present.Contains(id))];
    }
}
