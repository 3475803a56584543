using System.Collections.Concurrent;
using Npgsql;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>
/// Polls every node's own port at the same instants: does it say it is a primary (pg_is_in_recovery() false), and
/// does a small write commit there within a second. Connections stay open between polls, so a node whose postmaster
/// is frozen but whose backends run still answers, as its clients would see it.
/// </summary>
internal sealed class DirectPortProbe(IReadOnlyDictionary<string, string> nodeUrls)
{
    public const string Table = "CREATE TABLE IF NOT EXISTS probes(node text, at timestamptz default now())";

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, NpgsqlConnection?> _connections = new(nodeUrls.Keys.Select(k => KeyValuePair.Create(k, (NpgsqlConnection?)null)));

    public sealed record Round(TimeSpan At, IReadOnlyList<string> Primaries, IReadOnlyList<string> Writable);

    public List<Round> Rounds { get; } = [];

    public Task RunAsync(System.Diagnostics.Stopwatch clock, CancellationToken stop) => Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            var at = clock.Elapsed;
            var results = await Task.WhenAll(nodeUrls.Keys.Select(ProbeAsync));
            lock (Rounds)
            {
                Rounds.Add(new Round(at, [.. results.Where(r => r.Primary).Select(r => r.Node)], [.. results.Where(r => r.Committed).Select(r => r.Node)]));
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }, CancellationToken.None);

    /// <summary>Longest stretch of consecutive rounds in which two or more nodes said they were primaries.</summary>
    public TimeSpan LongestTwoPrimaries()
    {
        var longest = TimeSpan.Zero;
        TimeSpan? since = null;
        foreach (var round in Rounds)
        {
            if (round.Primaries.Count >= 2)
            {
                since ??= round.At;
                longest = round.At - since.Value > longest ? round.At - since.Value : longest;
            }
            else
            {
                since = null;
            }
        }

        return longest;
    }

    private async Task<(string Node, bool Primary, bool Committed)> ProbeAsync(string node)
    {
        // The probe's own deadline, since a command on a frozen backend may never answer a cancel either.
        var work = ProbeCoreAsync(node);
        if (await Task.WhenAny(work, Task.Delay(Limit + Limit)) == work)
        {
            return await work;
        }

        Abandon(node);
        return (node, false, false);
    }

    private async Task<(string Node, bool Primary, bool Committed)> ProbeCoreAsync(string node)
    {
        var primary = false;
        try
        {
            using var timeout = new CancellationTokenSource(Limit);
            var connection = _connections[node];
            if (connection is null)
            {
                connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Pg.Npgsql(nodeUrls[node], timeoutSeconds: 1)) { CancellationTimeout = -1 }.ConnectionString);
                _connections[node] = connection;
                await connection.OpenAsync(timeout.Token);
            }

            await using (var recovery = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection))
            {
                primary = !(bool)(await recovery.ExecuteScalarAsync(timeout.Token))!;
            }

            if (!primary)
            {
                return (node, false, false);
            }

            await using var write = new NpgsqlCommand($"INSERT INTO probes(node) VALUES ('{node}')", connection);
            await write.ExecuteNonQueryAsync(timeout.Token);
            return (node, true, true);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            Abandon(node);
            return (node, primary, false);
        }
    }

    private void Abandon(string node)
    {
        if (_connections.TryGetValue(node, out var connection) && connection is not null && _connections.TryUpdate(node, null, connection))
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await connection.DisposeAsync();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // A broken connection, or one a timed-out probe still uses: nothing left worth closing.
                }
            });
        }
    }
}
