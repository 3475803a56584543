using System.Globalization;
using Hangar.Daemon.Postgres;
using Hangar.Postgres.Config;

namespace Hangar.Daemon.Mpg;

/// <summary>
/// PgBouncer's admin console (the "pgbouncer" database on the pool's port) through psql: the console speaks only
/// the simple query protocol, which Npgsql does not use. One short psql per command; the password goes in the
/// environment, never on a command line.
/// </summary>
internal sealed class PgBouncerConsole
{
    public const string AdminUser = "hangar_pool_admin";

    private static readonly string Psql = Path.Combine(PatroniNodeOptions.DefaultBinDirectory, "psql");

    public Session For(string host, int port, string password) => new(host, port, password);

    internal sealed class Session(string host, int port, string password)
    {
        public Task<IReadOnlyList<string[]>> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken) =>
            RunAsync([command], timeout, cancellationToken);

        /// <summary>Runs console commands one after the other in one session (one psql) and returns their rows, columns split on '|'.</summary>
        public async Task<IReadOnlyList<string[]>> RunAsync(IReadOnlyList<string> commands, TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            var environment = new Dictionary<string, string>
            {
                ["PGPASSWORD"] = password,
                ["PGSSLMODE"] = "disable",
                ["PGCONNECT_TIMEOUT"] = "3",
            };
            string[] arguments =
            [
                "-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1",
                "-h", host, "-p", port.ToString(CultureInfo.InvariantCulture), "-U", AdminUser, "-d", "pgbouncer",
                .. commands.SelectMany(command => new[] { "-c", command }),
            ];
            var output = await ExternalCommand.RunAsync(Psql, arguments, null, limit.Token, environment);
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('|'))];
        }
    }
}
