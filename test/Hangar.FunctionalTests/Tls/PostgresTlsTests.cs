using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hangar.FunctionalTests.Infrastructure;
using Hangar.FunctionalTests.Postgres;
using Npgsql;
using Xunit;

namespace Hangar.FunctionalTests.Tls;

/// <summary>
/// Real Postgres clients verifying the development cluster's certificate against the platform CA: what the app is given
/// on attach (DATABASE_URL and PGSSLROOTCERT) is enough for full verification, and a wrong root is refused.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTlsTests(DevelopmentCluster cluster) : IClassFixture<DevelopmentCluster>
{
    private HangarDaemon Hangar => cluster.Hangar;

    [Fact]
    public async Task Certificates_ca_prints_the_pem_the_daemon_keeps_and_its_fingerprint()
    {
        var pem = await File.ReadAllTextAsync(Hangar.CaCertificatePath);
        Assert.Equal(pem, (await Hangar.RunAsync("certificates", "ca")).ShouldSucceed().Stdout);

        var json = await Hangar.JsonAsync("certificates", "ca");
        using var certificate = X509Certificate2.CreateFromPem(pem);
        Assert.Equal(pem, json.GetProperty("pem").GetString());
        Assert.Equal(Convert.ToHexString(SHA256.HashData(certificate.RawData)), json.GetProperty("fingerprint").GetString());
        Assert.True(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);

        // The certificate is for everyone, the key for the daemon alone.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Hangar.DataDir, "ca.key")));
        Assert.True(File.GetUnixFileMode(Hangar.CaCertificatePath).HasFlag(UnixFileMode.OtherRead));
    }

    [Fact]
    public async Task Psql_psycopg2_and_npgsql_verify_full_with_what_attach_gives_and_refuse_a_wrong_ca()
    {
        (await Hangar.RunAsync("apps", "create", "verified")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "verified")).ShouldSucceed();
        var url = await Pg.DatabaseUrlAsync(Hangar, "verified");
        Assert.DoesNotContain("sslmode", url, StringComparison.Ordinal);
        Assert.Equal(Hangar.CaCertificatePath, await Pg.DatabaseUrlAsync(Hangar, "verified", "PGSSLROOTCERT"));
        var wrong = ToolRun.WrongCaFile(Hangar.Root);

        // psql inside the app's environment: libpq takes the root from PGSSLROOTCERT, the host name from the URL.
        var psql = (await Hangar.RunAsync("run", "-a", "verified", "--", "sh", "-c", "psql \"$DATABASE_URL?sslmode=verify-full\" -Atc 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'")).ShouldSucceed();
        Assert.Equal("t", psql.Stdout.Trim());
        var refused = await ToolRun.RunAsync("psql", [url + "?sslmode=verify-full&sslrootcert=" + wrong, "-Atc", "SELECT 1"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("certificate verify failed", refused.Stderr, StringComparison.Ordinal);

        // psycopg2 (Debian's, for the system python).
        const string Script = "import os, sys, psycopg2\nc = psycopg2.connect(sys.argv[1], sslmode='verify-full', sslrootcert=sys.argv[2])\ncur = c.cursor(); cur.execute('SELECT 40 + 2'); print(cur.fetchone()[0])";
        Assert.Equal("42", (await ToolRun.RunAsync("/usr/bin/python3", ["-c", Script, url, Hangar.CaCertificatePath])).ShouldSucceed().Stdout.Trim());
        var psycopgRefused = await ToolRun.RunAsync("/usr/bin/python3", ["-c", Script, url, wrong]);
        Assert.NotEqual(0, psycopgRefused.ExitCode);
        Assert.Contains("certificate verify failed", psycopgRefused.Stderr, StringComparison.Ordinal);

        // Npgsql with the CA as its root and full verification (chain and host name).
        await using (var connection = new NpgsqlConnection(Pg.Npgsql(url) + $";SSL Mode=VerifyFull;Root Certificate={Hangar.CaCertificatePath}"))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
            Assert.Equal(true, await command.ExecuteScalarAsync());
        }

        await using (var connection = new NpgsqlConnection(Pg.Npgsql(url) + $";SSL Mode=VerifyFull;Root Certificate={wrong}"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => connection.OpenAsync());
        }

        // The URL alone, as clients that ignore PGSSLROOTCERT see it, still connects (sslmode prefer).
        Assert.Equal(1, await Pg.ScalarAsync(url, "SELECT 1"));
    }

    [Fact]
    public async Task Node_postgres_with_sslmode_require_verifies_against_the_ca()
    {
        Assert.True(Directory.Exists(Path.Combine(ToolRun.NodePgModules, "pg")), $"node-postgres is missing from {ToolRun.NodePgModules}: run scripts/install-deps.sh --test");
        (await Hangar.RunAsync("apps", "create", "nodeapp")).ShouldSucceed();
        (await Hangar.RunAsync("postgres", "attach", DevelopmentCluster.Name, "--app", "nodeapp")).ShouldSucceed();
        var url = await Pg.DatabaseUrlAsync(Hangar, "nodeapp");
        const string Script = "const { Client } = require('pg'); const c = new Client({ connectionString: process.argv[1] });"
            + " c.connect().then(() => c.query('SELECT 6 * 7 AS v')).then(r => { console.log(r.rows[0].v); return c.end(); })"
            + ".catch(e => { console.error(e.message); process.exit(1); });";
        var environment = new Dictionary<string, string> { ["NODE_PATH"] = ToolRun.NodePgModules };

        // Without the CA, node-postgres refuses: the failure the platform CA exists to fix.
        var unverified = await ToolRun.RunAsync("node", ["-e", Script, url + "?sslmode=require"], environment);
        Assert.NotEqual(0, unverified.ExitCode);
        Assert.Contains("certificate", unverified.Stderr, StringComparison.Ordinal);

        Assert.Equal("42", (await ToolRun.RunAsync("node", ["-e", Script, url + "?sslmode=require&sslrootcert=" + Hangar.CaCertificatePath], environment)).ShouldSucceed().Stdout.Trim());

        // Or with the URL untouched, Node's own extra-roots variable.
        Assert.Equal("42", (await ToolRun.RunAsync("node", ["-e", Script, url + "?sslmode=require"], new Dictionary<string, string>(environment) { ["NODE_EXTRA_CA_CERTS"] = Hangar.CaCertificatePath })).ShouldSucceed().Stdout.Trim());

        var wrong = await ToolRun.RunAsync("node", ["-e", Script, url + "?sslmode=require&sslrootcert=" + ToolRun.WrongCaFile(Hangar.Root)], environment);
        Assert.NotEqual(0, wrong.ExitCode);
    }
}
