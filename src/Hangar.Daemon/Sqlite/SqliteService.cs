using Hangar.Client.Models;
using Hangar.Core.Errors;
using Hangar.Core.Names;
using Hangar.Core.Resources;
using Hangar.Daemon.Reconcile;
using Hangar.Daemon.Apps;
using Hangar.Daemon.Storage;
using Hangar.State;
using Hangar.Supervision;

namespace Hangar.Daemon.Sqlite;

/// <summary>
/// `sqlite` verbs. Replicate checks the file, gets a bucket and a key scoped to it from <see cref="StorageService"/>,
/// writes the record and waits for <see cref="SqliteReconciler"/> to start Litestream; stop does the same the other
/// way. Status, restore and drills run Litestream's own commands against the replica.
/// </summary>
internal sealed partial class SqliteService(
    RecordStore store,
    StorageService storage,
    AppService apps,
    Litestream litestream,
    Supervisor supervisor,
    TimeProvider time)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly RecordWait _wait = new(store, time);

    public async Task<SqliteInfo> ReplicateAsync(SqliteReplicateRequest request, CancellationToken cancellationToken)
    {
        var problems = new ProblemList();
        problems.Add(ResourceNames.Problem("app", request.App));
        problems.Add(PathProblem("database path", request.Path));
        var name = request.Name ?? NameFromFile(request.Path);
        problems.Add(request.Name is null && name is null
            ? $"cannot make a name from the file name of {Printable.Quote(request.Path ?? string.Empty)}: pass --name ({ResourceNames.Rule})"
            : ResourceNames.Problem("sqlite", name));
        problems.Add(request.Bucket is null ? null : BucketKeys.NameProblem(request.Bucket));
        var sync = request.SyncInterval ?? LitestreamConfig.DefaultSyncInterval;
        var retention = request.Retention ?? LitestreamConfig.DefaultRetention;
        var snapshots = request.SnapshotInterval ?? LitestreamConfig.DefaultSnapshotInterval;
        LitestreamConfig.CheckDurations(sync, retention, snapshots, problems);
        problems.ThrowIfAny();

        litestream.RequireBinary();
        await apps.RequireAsync(request.App, cancellationToken);
        var path = Path.GetFullPath(request.Path!);
        SqliteFile.Check(path);

        var all = (await store.ListAsync<SqliteRecord>(SqliteKeys.Prefix, cancellationToken)).Select(r => r.Value).ToList();
        if (all.FirstOrDefault(d => d.Path == path) is { } registered)
        {
            if (registered.Phase == SqlitePhase.Stopped && (request.Name is null || request.Name == registered.Name) && registered.App == request.App)
            {
                return await ResumeAsync(registered, cancellationToken);
            }

            throw HangarException.Exists("registration of " + Printable.Quote(path) + " as sqlite", registered.Name);
        }

        if (all.Any(d => d.Name == name))
        {
            throw HangarException.Exists("sqlite", name!);
        }

        var bucket = request.Bucket ?? await AppBucketAsync(request.App, cancellationToken);
        if (BucketKeys.NameProblem(bucket) is { } bucketProblem)
        {
            throw HangarException.Invalid($"{bucketProblem}; pass --bucket");
        }

        var (keyId, secret, created) = await KeyForAsync(bucket, cancellationToken);
        var record = new SqliteRecord
        {
            Name = name!,
            App = request.App,
            Path = path,
            Bucket = bucket,
            BucketCreated = created,
            AccessKeyId = keyId,
            SecretCiphertext = litestream.EncryptSecret(name!, secret),
            SyncInterval = sync,
            Retention = retention,
            SnapshotInterval = snapshots,
            CreatedAt = time.GetUtcNow(),
        };
        if (!await store.CreateAsync(SqliteKeys.Database(record.Name), record, cancellationToken))
        {
            await UndoKeyAsync(record, CancellationToken.None);
            throw HangarException.Exists("sqlite", record.Name);
        }

        return Info(await WaitStartedAsync(record.Name, cancellationToken));
    }

    public async Task<IReadOnlyList<SqliteInfo>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListAsync<SqliteRecord>(SqliteKeys.Prefix, cancellationToken)).Select(r => r.Value).OrderBy(d => d.CreatedAt).Select(Info)];

    public async Task<SqliteInfo> StopAsync(string name, CancellationToken cancellationToken)
    {
        var db = await RequireAsync(name, cancellationToken);
        if (db.Phase == SqlitePhase.Stopped)
        {
            throw HangarException.Precondition($"sqlite '{name}' is stopped already; `hangar sqlite replicate {db.Path} -a {db.App}` resumes it");
        }

        await store.MutateAsync<SqliteRecord>(SqliteKeys.Database(name), r => r with { Phase = SqlitePhase.Stopping }, cancellationToken);
        var done = await _wait.UntilAsync<SqliteRecord>(SqliteKeys.Database(name), r => r is null || r.Phase == SqlitePhase.Stopped, Limit,
            r => $"sqlite '{name}' is still {r?.Phase.ToString().ToLowerInvariant()}", cancellationToken) ?? throw HangarException.NotFound("sqlite", name);
        return Info(done);
    }

    public async Task<SqliteConfigInfo> ConfigAsync(string app, CancellationToken cancellationToken)
    {
        if (ResourceNames.Problem("app", app) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        await apps.RequireAsync(app, cancellationToken);
        var databases = (await store.ListAsync<SqliteRecord>(SqliteKeys.Prefix, cancellationToken)).Select(r => r.Value).Where(d => d.App == app).OrderBy(d => d.CreatedAt).ToList();
        if (databases.Count == 0)
        {
            throw HangarException.Precondition($"app '{app}' has no SQLite database: register one with `hangar sqlite replicate PATH -a {app}`");
        }

        var buckets = string.Join(" ", databases.Select(d => d.Bucket).Distinct(StringComparer.Ordinal).Select(b => "--bucket " + b));
        var yaml = $"# Litestream {SqliteVersion} config for app {app}, replicating into Hangar's S3 at {litestream.Endpoint}.\n"
            + $"# Credentials come from {LitestreamConfig.AccessKeyVariable} and {LitestreamConfig.SecretKeyVariable}:\n"
            + $"# a key for the bucket is made with `hangar storage keys create {buckets}`.\n"
            + "# Stop Hangar's own replication first (`hangar sqlite stop NAME`): two Litestreams on one database fight.\n"
            + LitestreamConfig.Render(databases, litestream.Endpoint, litestream.Region);
        return new SqliteConfigInfo(app, yaml, [LitestreamConfig.AccessKeyVariable, LitestreamConfig.SecretKeyVariable]);
    }

    private const string SqliteVersion = "v0.3.13";

    /// <summary>
    /// For `hangar run -a APP --sqlite NAME`: the app runs Litestream itself (`replicate -exec`), the pattern Fly gives
    /// containers. Refused while the daemon replicates the database: two Litestreams on one file each start their own
    /// generations and checkpoint under each other.
    /// </summary>
    public async Task<SqliteExecPlan> ExecPlanAsync(string name, string app, CancellationToken cancellationToken)
    {
        var db = await RequireAsync(name, cancellationToken);
        if (db.App != app)
        {
            throw HangarException.Precondition($"sqlite '{name}' belongs to app '{db.App}', not '{app}'");
        }

        if (db.Phase != SqlitePhase.Stopped)
        {
            throw HangarException.Precondition($"sqlite '{name}' is replicated by the daemon: run `hangar sqlite stop {name}` first, so that one Litestream writes its replica");
        }

        litestream.RequireBinary();
        var environment = litestream.Environment(db);
        return new SqliteExecPlan(name, app, db.Path, litestream.Binary, LitestreamConfig.Render([db], litestream.Endpoint, litestream.Region),
            LitestreamConfig.AccessKeyVariable, db.AccessKeyId, LitestreamConfig.SecretKeyVariable, environment[LitestreamConfig.SecretKeyVariable]);
    }

    private async Task<SqliteInfo> ResumeAsync(SqliteRecord db, CancellationToken cancellationToken)
    {
        await store.MutateAsync<SqliteRecord>(SqliteKeys.Database(db.Name), r => r.Phase == SqlitePhase.Stopped ? r with { Phase = SqlitePhase.Pending, Error = null } : null, cancellationToken);
        return Info(await WaitStartedAsync(db.Name, cancellationToken));
    }

    private async Task<SqliteRecord> WaitStartedAsync(string name, CancellationToken cancellationToken)
    {
        return await _wait.UntilAsync<SqliteRecord>(SqliteKeys.Database(name), r => r is null || r.Phase != SqlitePhase.Pending, Limit,
            r => $"sqlite '{name}' is still {r?.Phase.ToString().ToLowerInvariant()}{(r?.Error is { } e ? ": " + e : string.Empty)}", cancellationToken)
            ?? throw HangarException.NotFound("sqlite", name);
    }

    /// <summary>The app's one bucket when it has exactly one, else "APP-sqlite" (made if missing).</summary>
    private async Task<string> AppBucketAsync(string app, CancellationToken cancellationToken)
    {
        var owned = (await store.ListAsync<BucketRecord>(BucketKeys.Prefix, cancellationToken)).Select(b => b.Value).Where(b => b.App == app && b.Phase == BucketPhase.Ready).ToList();
        return owned.Count == 1 ? owned[0].Name : app + "-sqlite";
    }

    /// <summary>A key scoped to <paramref name="bucket"/>: a new key on an existing bucket, or the bucket made with its own key.</summary>
    private async Task<(string KeyId, string Secret, bool Created)> KeyForAsync(string bucket, CancellationToken cancellationToken)
    {
        if (await store.GetAsync<BucketRecord>(BucketKeys.Bucket(bucket), cancellationToken) is not null)
        {
            var key = await storage.CreateKeyAsync(new StorageKeyCreateRequest([bucket], ReadOnly: false), cancellationToken);
            return (key.Key.Id, key.SecretAccessKey, false);
        }

        var created = await storage.CreateAsync(new StorageCreateRequest { Name = bucket }, cancellationToken);
        var credentials = created.Credentials ?? throw new InvalidOperationException($"bucket {bucket} was made without credentials");
        return (credentials.AccessKeyId, credentials.SecretAccessKey, true);
    }

    private async Task UndoKeyAsync(SqliteRecord record, CancellationToken cancellationToken)
    {
        if (record.BucketCreated)
        {
            await storage.DestroyAsync(record.Bucket, force: false, cancellationToken);
        }
        else
        {
            await storage.RevokeKeyAsync(record.AccessKeyId, cancellationToken);
        }
    }

    private async Task<SqliteRecord> RequireAsync(string name, CancellationToken cancellationToken)
    {
        if (ResourceNames.Problem("sqlite", name) is { } problem)
        {
            throw HangarException.Invalid(problem);
        }

        return (await store.GetAsync<SqliteRecord>(SqliteKeys.Database(name), cancellationToken))?.Value ?? throw HangarException.NotFound("sqlite", name);
    }

    /// <summary>An absolute path with no control characters (it goes into a YAML file and onto command lines).</summary>
    private static string? PathProblem(string what, string? path) =>
        string.IsNullOrEmpty(path) || !Path.IsPathFullyQualified(path) ? $"invalid {what} {Printable.Quote(path ?? string.Empty)}: an absolute path"
        : path.Any(char.IsControl) ? $"invalid {what} {Printable.Quote(path)}: control characters are not allowed"
        : null;

    /// <summary>"app.db" → "app", "My_Data.sqlite3" → "my-data"; null when nothing valid is left.</summary>
    private static string? NameFromFile(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var stem = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        var name = new string([.. stem.Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-')]).Trim('-');
        name = name.Length > 63 ? name[..63].TrimEnd('-') : name;
        return ResourceNames.IsValid(name) ? name : null;
    }

    private static SqliteInfo Info(SqliteRecord d) => new(
        d.Name,
        d.App,
        d.Path,
        d.Bucket,
        $"s3://{d.Bucket}/{d.Name}",
        d.Phase.ToString().ToLowerInvariant(),
        d.SyncInterval,
        d.Retention,
        d.SnapshotInterval,
        d.CreatedAt,
        d.Error);
}
