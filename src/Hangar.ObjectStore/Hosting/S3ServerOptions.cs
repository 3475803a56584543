using System.Net;

namespace Hangar.ObjectStore.Hosting;

/// <summary>How an S3 server process is started; <see cref="S3ServerProgram"/> builds it from command-line arguments.</summary>
public sealed class S3ServerOptions
{
    public required string DataDir { get; init; }

    /// <summary>Plain-HTTP endpoint; port 0 picks a free port (see <see cref="S3Server.HttpAddress"/>).</summary>
    public IPEndPoint? Listen { get; init; } = new(IPAddress.Loopback, 0);

    public IPEndPoint? HttpsListen { get; init; }

    /// <summary>PEM certificate and key; when absent a self-signed pair is generated under the data dir.</summary>
    public string? CertificatePath { get; init; }

    public string? KeyPath { get; init; }

    public string? AdminTokenFile { get; init; }

    /// <summary>A file holding the read-only token that /_hangar/metrics also accepts (the daemon's metrics token).</summary>
    public string? MetricsTokenFile { get; init; }

    /// <summary>The admin token itself, for in-process hosts that have no file; the file wins when both are set.</summary>
    public string? AdminToken { get; init; }

    /// <summary>Virtual-hosted-style requests to BUCKET.{Domain} address BUCKET.</summary>
    public string Domain { get; init; } = "s3.localhost";

    public string Region { get; init; } = "local";

    /// <summary>
    /// Free bytes uploads may not eat into on the data dir's filesystem; null is the larger of 64 MiB and 1%
    /// of the filesystem (see Storage/StorageSpace.cs). Deletes are never refused.
    /// </summary>
    public long? MinFreeBytes { get; init; }

    public bool ConsoleLogging { get; init; } = true;

    /// <summary>
    /// How long a request body may send nothing before the request fails with RequestTimeout, as S3's
    /// does: a client that announced more bytes than it sends gets an answer instead of a hung socket.
    /// </summary>
    public TimeSpan BodyIdleTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How often the lifecycle pass runs (S3 runs it about daily; expiry is due at midnight UTC anyway).</summary>
    public TimeSpan LifecycleInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long one lifecycle pass may run before it pauses and resumes at the next interval.</summary>
    public TimeSpan LifecyclePassBudget { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The length of a lifecycle "day": one day except in tests (HANGAR_S3_LIFECYCLE_DAY_SECONDS).</summary>
    public TimeSpan LifecycleDay { get; init; } = TimeSpan.FromDays(1);
}
