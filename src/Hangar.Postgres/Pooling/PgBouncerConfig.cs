using System.Globalization;
using System.Text;

namespace Hangar.Postgres.Pooling;

/// <summary>
/// pgbouncer.ini and its auth file. Clients log in with SCRAM against the verifier auth_query reads from the
/// leader (pg_shadow, as the cluster's admin role), and PgBouncer passes the same SCRAM keys on to the server, so
/// no app password is ever written to a file. Server connections go to the cluster port, so they reach whichever
/// node leads; the timings below make PgBouncer notice a cut connection and retry a refused login within a second.
/// </summary>
public static class PgBouncerConfig
{
    public const string Transaction = "transaction";
    public const string Session = "session";
    public const string Statement = "statement";

    public static readonly IReadOnlyList<string> PoolModes = [Transaction, Session, Statement];

    public static string Render(PgBouncerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var ini = new StringBuilder();
        Line(ini, "[databases]");

        // Every database, on the cluster port; the client's user and the pool's size.
        Line(ini, $"* = host={settings.ServerHost} port={settings.ServerPort.ToString(CultureInfo.InvariantCulture)}");
        Line(ini, string.Empty);
        Line(ini, "[pgbouncer]");
        Line(ini, $"listen_addr = {settings.ListenAddress}");
        Line(ini, $"listen_port = {settings.ListenPort.ToString(CultureInfo.InvariantCulture)}");
        Line(ini, "unix_socket_dir =");
        Line(ini, $"pidfile = {settings.PidFile}");
        Line(ini, "auth_type = scram-sha-256");
        Line(ini, $"auth_file = {settings.AuthFile}");
        Line(ini, $"auth_user = {settings.AuthUser}");
        Line(ini, "auth_query = SELECT usename, passwd FROM pg_catalog.pg_shadow WHERE usename = $1");
        Line(ini, $"admin_users = {settings.AdminUser}");
        Line(ini, $"stats_users = {settings.AdminUser}");
        Line(ini, $"pool_mode = {settings.PoolMode}");
        Line(ini, $"default_pool_size = {settings.PoolSize.ToString(CultureInfo.InvariantCulture)}");
        Line(ini, "min_pool_size = 0");
        Line(ini, "reserve_pool_size = 0");
        Line(ini, $"max_db_connections = {settings.MaxDatabaseConnections.ToString(CultureInfo.InvariantCulture)}");
        Line(ini, $"max_client_conn = {settings.MaxClientConnections.ToString(CultureInfo.InvariantCulture)}");

        // A failover cuts every server connection; a login refused while no node leads is retried after a second
        // rather than PgBouncer's default 15, and a server connection idle for a second is checked before reuse.
        Line(ini, "server_login_retry = 1");
        Line(ini, "server_connect_timeout = 5");
        Line(ini, "server_check_delay = 1");
        Line(ini, "server_check_query = select 1");
        Line(ini, "server_lifetime = 3600");
        Line(ini, "server_idle_timeout = 600");

        // A client waits for a server at most this long (a failover takes seconds), then gets an error.
        Line(ini, "query_wait_timeout = 60");
        Line(ini, "client_tls_sslmode = allow");
        Line(ini, $"client_tls_cert_file = {settings.CertificateFile}");
        Line(ini, $"client_tls_key_file = {settings.KeyFile}");
        Line(ini, "server_tls_sslmode = prefer");
        Line(ini, "ignore_startup_parameters = extra_float_digits");
        Line(ini, "application_name_add_host = 0");
        Line(ini, "log_connections = 0");
        Line(ini, "log_disconnections = 0");
        Line(ini, "log_pooler_errors = 1");
        Line(ini, "stats_period = 60");
        return ini.ToString();
    }

    /// <summary>userlist.txt: "user" "password" per line, quotes doubled.</summary>
    public static string RenderAuthFile(IEnumerable<(string User, string Password)> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        var text = new StringBuilder();
        foreach (var (user, password) in users)
        {
            Line(text, $"\"{Quote(user)}\" \"{Quote(password)}\"");
        }

        return text.ToString();
    }

    private static string Quote(string value) =>
        value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal)
            ? throw new ArgumentException("a line break cannot go in PgBouncer's auth file", nameof(value))
            : value.Replace("\"", "\"\"", StringComparison.Ordinal);

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
