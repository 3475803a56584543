using System.Diagnostics;
using Hangar.Postgres.Tests.Infrastructure;
using Npgsql;

namespace Hangar.Postgres.Tests.Nodes;

[Collection(PgClusterCollection.Name)]
public sealed class NodeDirectoryTests(PgClusterFixture fixture)
{
    [Fact]
    public void Prepared_node_files_belong_to_postgres_and_secrets_are_private()
    {
        var paths = fixture.Nodes[0].Options.Paths;
        Assert.Equal("postgres:600", Stat(paths.KeyFile));
        Assert.Equal("postgres:600", Stat(paths.ConfigFile));
        Assert.Equal("postgres:644", Stat(paths.CertificateFile));
        Assert.Equal("postgres:700", Stat(paths.Root));
        Assert.Equal("postgres:700", Stat(paths.DataDirectory));
        Assert.Equal("postgres:700", Stat(paths.PostBootstrapScript));
        // The admin password is stored as a SCRAM verifier, never in plaintext.
        var sql = File.ReadAllText(paths.PostBootstrapSql);
        Assert.Contains("SCRAM-SHA-256$4096:", sql, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Credentials.AdminPassword, sql, StringComparison.Ordinal);
        Assert.False(File.Exists(paths.ConfigFile + ".tmp"));
    }

    [Fact]
    public async Task Postgres_serves_tls_with_the_cluster_certificate()
    {
        await fixture.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var node = fixture.Nodes[0];
        var builder = new NpgsqlConnectionStringBuilder(node.AdminConnectionString())
        {
            // verify-full: the chain must end at the CA that issued the cluster certificate, whose SAN must cover 127.0.0.1.
            SslMode = SslMode.VerifyFull,
            RootCertificate = fixture.AuthorityCertificateFile,
        };
        Assert.Equal(true, await Sql.ScalarAsync(builder.ConnectionString, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
    }

    private static string Stat(string path)
    {
        var info = new ProcessStartInfo("stat", ["-c", "%U:%a", path]) { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return text;
    }
}
