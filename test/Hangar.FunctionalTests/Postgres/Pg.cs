using System.Diagnostics;
using Hangar.FunctionalTests.Infrastructure;
using Npgsql;

namespace Hangar.FunctionalTests.Postgres;

/// <summary>Small helpers for talking to a cluster the way an app does: through the DATABASE_URL it was given.</summary>
internal static class Pg
{
    /// <summary>The app's DATABASE_URL as the app sees it (`hangar run -a APP -- printenv`).</summary>
    public static async Task<string> DatabaseUrlAsync(HangarDaemon hangar, string app, string variable = "DATABASE_URL") =>
        (await hangar.RunAsync("run", "-a", app, "--", "printenv", variable)).ShouldSucceed().Stdout.Trim();

    /// <summary>Npgsql connection string from a postgres:// URL, no pooling (each open is a real new connection).</summary>
    public static string Npgsql(string url, int timeoutSeconds = 5)
    {
        var uri = new Uri(url);
        var userInfo = uri.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = Uri.UnescapeDataString(userInfo[0]),
            Password = Uri.UnescapeDataString(userInfo[1]),
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            Pooling = false,
            Timeout = timeoutSeconds,
            CommandTimeout = 15,
            SslMode = SslMode.Prefer,
        }.ConnectionString;
    }

    public static async Task<object?> ScalarAsync(string url, string sql)
    {
        await using var connection = new NpgsqlConnection(Npgsql(url));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public static async Task ExecAsync(string url, string sql) => await ScalarAsync(url, sql);

    /// <summary>Retries <paramref name="sql"/> until it succeeds (a failover in progress); returns how long it took.</summary>
    public static async Task<TimeSpan> UntilWritesAsync(string url, string sql, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        await Poll.UntilAsync(async () =>
        {
            try
            {
                await ExecAsync(url, sql);
                return true;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return false;
            }
        }, limit, "writes through the cluster port");
        return clock.Elapsed;
    }

    /// <summary>kill -9 of a node's Patroni and its postmaster (the leader dies without a word).</summary>
    public static void KillNode(HangarDaemon hangar, string dataDirectoryOfVolume, string process)
    {
        var patroni = hangar.ChildPid(process) ?? throw new InvalidOperationException($"no pid for {process}");
        var postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectoryOfVolume, "data", "postmaster.pid")).First());
        HangarDaemon.Signal(patroni, "9");
        HangarDaemon.Signal(postmaster, "9");
    }

    public static string WithDatabase(string url, string database) => new UriBuilder(url) { Path = "/" + database }.Uri.ToString();

    public static string VolumePath(HangarDaemon hangar, string volumeId) => Path.Combine(hangar.DataDir, "volumes", volumeId);
}
