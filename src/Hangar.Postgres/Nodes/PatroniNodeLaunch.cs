namespace Hangar.Postgres.Nodes;

/// <summary>
/// How to run one node, for the daemon's supervisor (maps onto Hangar.Supervision's ProcessSpec).
/// Patroni is the only process to supervise: it starts, stops and restarts PostgreSQL itself, and a
/// restarted Patroni adopts a still-running postmaster from postmaster.pid.
/// </summary>
public sealed record PatroniNodeLaunch
{
    public required string Name { get; init; }

    /// <summary>The packaged Patroni runs through <see cref="PatroniLauncher"/>, which fixes its leader-key update first.</summary>
    public string FileName { get; init; } = PatroniLauncher.Interpreter;

    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>PostgreSQL refuses to run as root.</summary>
    public string RunAsUser { get; init; } = "postgres";

    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required string WorkingDirectory { get; init; }

    /// <summary>
    /// Patroni's GET /health: 200 once PostgreSQL is up (leader or replica). Poll it for readiness; a new
    /// replica answers only after its pg_basebackup finished.
    /// </summary>
    public required Uri ReadinessUrl { get; init; }

    /// <summary>Appears in the command line of exactly this node's Patroni (its config path): guards adoption against pid reuse.</summary>
    public required string IdentityMarker { get; init; }

    /// <summary>On SIGTERM Patroni stops PostgreSQL with a fast shutdown first, which may take a checkpoint.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>One readiness probe: true when the REST API answers 200 on <see cref="ReadinessUrl"/>.</summary>
    public async Task<bool> ProbeAsync(HttpClient httpClient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        try
        {
            using var response = await httpClient.GetAsync(ReadinessUrl, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient timeout: not ready yet.
            return false;
        }
    }
}
