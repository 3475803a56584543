using System.Diagnostics;
using Hangar.Core.Errors;
using Hangar.Core.Resources;
using Hangar.Core.Unix;
using Hangar.Daemon.Hosting;
using Hangar.Daemon.Security;
using Hangar.Supervision;

namespace Hangar.Daemon.Sqlite;

/// <summary>
/// Litestream v0.3.13 (Fly's npm build, installed by scripts/install-deps.sh) as the daemon runs it: one supervised
/// `litestream replicate` per database, and short-lived `generations`, `snapshots`, `wal` and `restore` runs. Each
/// gets the database's own config file (DATA/sqlite/NAME/litestream.yml, 0600, no credentials) and its key in the
/// environment only; `-no-expand-env` keeps a '$' in a path from being read as a variable.
/// </summary>
internal sealed class Litestream(DaemonOptions options, DataDirectory data, SecretBox box, EmbeddedS3 s3)
{
    public const string SecretName = "secret-access-key";

    private static readonly TimeSpan QueryLimit = TimeSpan.FromSeconds(20);

    public string Binary => options.LitestreamPath;

    public string Root => Path.Combine(data.Root, "sqlite");

    public string InstanceDirectory(string name) => Path.Combine(Root, name);

    public string ConfigPath(string name) => Path.Combine(InstanceDirectory(name), "litestream.yml");

    public string Endpoint => s3.EndpointUrl;

    public string Region => s3.Region;

    public void RequireBinary()
    {
        if (!File.Exists(Binary))
        {
            throw HangarException.Precondition($"Litestream is not installed at {Binary}: run scripts/install-deps.sh (`hangar up` does), or set HANGAR_LITESTREAM");
        }
    }

    public string EncryptSecret(string name, string secret) => box.Encrypt(SqliteKeys.Owner(name), SecretName, secret);

    public IReadOnlyDictionary<string, string> Environment(SqliteRecord db) => new Dictionary<string, string>
    {
        [LitestreamConfig.AccessKeyVariable] = db.AccessKeyId,
        [LitestreamConfig.SecretKeyVariable] = box.Decrypt(SqliteKeys.Owner(db.Name), SecretName, db.SecretCiphertext),
    };

    /// <summary>Writes the config (0600 in a 0700 directory) when its content changed; true when it did.</summary>
    public bool WriteConfig(SqliteRecord db)
    {
        Directory.CreateDirectory(Root, FileModes.OwnerDirectory);
        Directory.CreateDirectory(InstanceDirectory(db.Name), FileModes.OwnerDirectory);
        var path = ConfigPath(db.Name);
        var content = LitestreamConfig.Render([db], Endpoint, Region);
        if (File.Exists(path) && File.ReadAllText(path) == content)
        {
            return false;
        }

        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.SetUnixFileMode(temporary, FileModes.OwnerFile);
        File.Move(temporary, path, overwrite: true);
        return true;
    }

    public ProcessSpec Spec(SqliteRecord db) => new()
    {
        Name = SqliteKeys.ProcessName(db.Name),
        FileName = Binary,
        Arguments = ["replicate", "-no-expand-env", "-config", ConfigPath(db.Name)],
        Environment = Environment(db),
        WorkingDirectory = InstanceDirectory(db.Name),
        IdentityMarker = ConfigPath(db.Name),

        // SIGTERM makes Litestream finish its current sync before it exits.
        StopTimeout = TimeSpan.FromSeconds(10),
    };

    public async Task<LitestreamTable> TableAsync(string command, SqliteRecord db, CancellationToken cancellationToken)
    {
        var (exit, stdout, stderr) = await RunAsync([command, "-no-expand-env", "-config", ConfigPath(db.Name), db.Path], db, QueryLimit, cancellationToken);
        return exit == 0 ? LitestreamTable.Parse(stdout) : throw HangarException.Precondition($"litestream {command} failed for sqlite '{db.Name}': {LastError(stdout + "\n" + stderr)}");
    }

    /// <summary>Runs a short-lived litestream command with the database's credentials; the exit code and both outputs.</summary>
    public async Task<(int Exit, string Stdout, string Stderr)> RunAsync(IReadOnlyList<string> arguments, SqliteRecord db, TimeSpan limit, CancellationToken cancellationToken)
    {
        RequireBinary();
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Environment(db))
        {
            start.Environment[key] = value;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Binary}");
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await ChildProcess.WaitOrKillAsync(process, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HangarException(ErrorCodes.Unavailable, $"litestream {arguments[0]} for sqlite '{db.Name}' did not finish within {limit.TotalSeconds:0} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Litestream logs `level=ERROR msg="failed to run" error="..."` (to stdout once its config is read, to stderr
    /// before): the error's text, else the last line of the output.
    /// </summary>
    public static string LastError(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";
        var at = line.IndexOf("error=", StringComparison.Ordinal);
        return at < 0 ? line : line[(at + "error=".Length)..].Trim('"');
    }
}
