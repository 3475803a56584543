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
    private readonly ConcurrentDictionary<string, NpgsqlConnection?> _readers = new();
    private readonly ConcurrentDictionary<string, NpgsqlConnection?> _writers = new();

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
        if (await Task.WhenAny(work, Task.Delay(4 * Limit)) == work)
        {
            return await work;
        }

        Abandon(_readers, node);
        Abandon(_writers, node);
        return (node, false, false);
    }

    private async Task<(string Node, bool Primary, bool Committed)> ProbeCoreAsync(string node)
    {
        // Two connections: a write that hangs (a commit waiting for a sync standby that left) must not take down the
        // connection that asks for the role, which a frozen postmaster could not replace.
        var primary = await QueryAsync(_readers, node, "SELECT pg_is_in_recovery()") is false;
        var committed = primary && await QueryAsync(_writers, node, $"INSERT INTO probes(node) VALUES ('{node}') RETURNING true") is true;
        return (node, primary, committed);
    }

    private async Task<object?> QueryAsync(ConcurrentDictionary<string, NpgsqlConnection?> connections, string node, string sql)
    {
        try
        {
            using var timeout = new CancellationTokenSource(Limit);
            if (connections.GetValueOrDefault(node) is not { } connection)
            {
                connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Pg.Npgsql(nodeUrls[node], timeoutSeconds: 1)) { CancellationTimeout = -1 }.ConnectionString);
                connections[node] = connection;
                await connection.OpenAsync(timeout.Token);
            }

            await using var command = new NpgsqlCommand(sql, connection);
            return await command.ExecuteScalarAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            Abandon(connections, node);
            return null;
        }
    }

    private static void Abandon(ConcurrentDictionary<string, NpgsqlConnection?> connections, string node)
    {
        if (connections.TryGetValue(node, out var connection) && connection is not null && connections.TryUpdate(node, null, connection))
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
