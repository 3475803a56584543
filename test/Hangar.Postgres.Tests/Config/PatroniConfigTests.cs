using System.Text.Json.Nodes;
using Hangar.Core.Errors;
using Hangar.Postgres.Config;

namespace Hangar.Postgres.Tests.Config;

public sealed class PatroniConfigTests
{
    private static PatroniNodeOptions Options(bool sync = true) => new()
    {
        ClusterName = "db",
        NodeName = "db-1",
        EtcdHosts = ["127.0.0.1:2379", "127.0.0.1:2381"],
        PostgresPort = 5433,
        RestApiPort = 8008,
        Paths = PatroniNodePaths.Under("/var/lib/hangar/pg/db-1"),
        Credentials = PatroniCredentials.Generate(),
        SynchronousMode = sync,
        Parameters = new Dictionary<string, string> { ["work_mem"] = "8MB", ["max_connections"] = "200" },
    };

    [Fact]
    public void Build_writes_the_documented_patroni_settings()
    {
        var options = Options();
        var json = JsonNode.Parse(PatroniConfig.Build(options))!;
        Assert.Equal("db", json["scope"]!.GetValue<string>());
        Assert.Equal("/hangar-pg/", json["namespace"]!.GetValue<string>());
        Assert.Equal("db-1", json["name"]!.GetValue<string>());
        Assert.Equal("127.0.0.1:2379", json["etcd3"]!["hosts"]![0]!.GetValue<string>());
        Assert.Equal("127.0.0.1:8008", json["restapi"]!["listen"]!.GetValue<string>());
        var dcs = json["bootstrap"]!["dcs"]!;
        Assert.Equal(10, dcs["ttl"]!.GetValue<int>());
        Assert.Equal(1, dcs["loop_wait"]!.GetValue<int>());
        Assert.Equal(4, dcs["retry_timeout"]!.GetValue<int>());
        Assert.True(dcs["synchronous_mode"]!.GetValue<bool>());
        Assert.False(dcs["synchronous_mode_strict"]!.GetValue<bool>());
        Assert.True(dcs["postgresql"]!["use_pg_rewind"]!.GetValue<bool>());
        Assert.True(dcs["postgresql"]!["use_slots"]!.GetValue<bool>());
        var parameters = dcs["postgresql"]!["parameters"]!;
        Assert.Equal("scram-sha-256", parameters["password_encryption"]!.GetValue<string>());
        Assert.Equal("on", parameters["wal_log_hints"]!.GetValue<string>());
        Assert.Equal("200", parameters["max_connections"]!.GetValue<string>());
        Assert.Equal("8MB", parameters["work_mem"]!.GetValue<string>());
        var postgresql = json["postgresql"]!;
        Assert.Equal("/usr/lib/postgresql/15/bin", postgresql["bin_dir"]!.GetValue<string>());
        Assert.Equal("127.0.0.1:5433", postgresql["listen"]!.GetValue<string>());
        Assert.Equal("basebackup", postgresql["create_replica_methods"]![0]!.GetValue<string>());
        Assert.Equal("on", postgresql["parameters"]!["ssl"]!.GetValue<string>());
        Assert.Equal(options.Paths.KeyFile, postgresql["parameters"]!["ssl_key_file"]!.GetValue<string>());
        Assert.Equal(options.Credentials.ReplicationPassword, postgresql["authentication"]!["replication"]!["password"]!.GetValue<string>());
        Assert.False(JsonNode.Parse(PatroniConfig.Build(Options(sync: false)))!["bootstrap"]!["dcs"]!["synchronous_mode"]!.GetValue<bool>());
    }

    [Fact]
    public void Pg_hba_trusts_nobody_and_limits_replication_to_the_sources()
    {
        var lines = PatroniConfig.PgHba(Options() with { AdvertiseAddress = "10.0.0.5", BindAddress = "0.0.0.0" });
        Assert.DoesNotContain(lines, l => l.Contains("trust", StringComparison.Ordinal));
        Assert.Equal("local all postgres peer", lines[0]);
        Assert.Contains("host replication replicator 10.0.0.5/32 scram-sha-256", lines);
        Assert.Contains("host replication replicator 127.0.0.1/32 scram-sha-256", lines);
        Assert.Equal(3, lines.Count(l => l.Contains(" replication ", StringComparison.Ordinal)));
        Assert.All(lines.Skip(1), l => Assert.EndsWith("scram-sha-256", l, StringComparison.Ordinal));
        Assert.All(PatroniConfig.PgHba(Options() with { RequireSsl = true }).Skip(1), l => Assert.StartsWith("hostssl ", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_reports_every_problem_at_once()
    {
        var bad = Options() with
        {
            ClusterName = "Bad_Name",
            EtcdHosts = ["nohostport"],
            PostgresPort = 8008,
            BindAddress = "localhost",
            Timing = new PatroniTiming(10, 5, 4),
            Parameters = new Dictionary<string, string> { ["port"] = "1", ["Work-Mem"] = "1" },
            Credentials = PatroniCredentials.Generate() with { AdminPassword = "has space" },
        };
        var error = Assert.Throws<HangarException>(() => PatroniConfig.Build(bad));
        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        foreach (var expected in new[] { "cluster name 'Bad_Name'", "etcd endpoint 'nohostport'", "ports must differ", "bind address 'localhost'", "must not exceed ttl", "'port' is managed", "parameter name 'Work-Mem'", "admin password" })
        {
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("has space", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 1, 4, true)]
    [InlineData(10, 2, 4, true)]
    [InlineData(10, 3, 4, false)]
    [InlineData(4, 1, 1, false)]
    [InlineData(30, 10, 10, true)]
    public void Timing_follows_patronis_rule(int ttl, int loopWait, int retryTimeout, bool valid) =>
        Assert.Equal(valid, new PatroniTiming(ttl, loopWait, retryTimeout).Problems().Count == 0);

    [Fact]
    public void Credentials_never_print_their_secrets()
    {
        var credentials = PatroniCredentials.Generate();
        Assert.DoesNotContain(credentials.SuperuserPassword, credentials.ToString(), StringComparison.Ordinal);
        using var authority = Hangar.Core.Tls.CertificateAuthority.Create("test", TimeProvider.System);
        var certificate = ClusterCertificate.Create("db", ["127.0.0.1", "db.internal"], authority, TimeProvider.System);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", certificate.CertificatePem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", certificate.PrivateKeyPem, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", certificate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bootstrap_command_replaces_initdb_with_a_custom_method_and_must_be_absolute()
    {
        var json = JsonNode.Parse(PatroniConfig.Build(Options() with { BootstrapCommand = "/var/lib/hangar/pg/db-1/seed.sh" }))!;
        var bootstrap = json["bootstrap"]!;
        Assert.Equal(PatroniConfig.SeedBootstrapMethod, bootstrap["method"]!.GetValue<string>());
        Assert.Equal("/var/lib/hangar/pg/db-1/seed.sh", bootstrap[PatroniConfig.SeedBootstrapMethod]!["command"]!.GetValue<string>());
        Assert.True(bootstrap[PatroniConfig.SeedBootstrapMethod]!["no_params"]!.GetValue<bool>());
        Assert.Null(JsonNode.Parse(PatroniConfig.Build(Options()))!["bootstrap"]!["method"]);

        var error = Assert.Throws<HangarException>(() => PatroniConfig.Build(Options() with { BootstrapCommand = "seed.sh" }));
        Assert.Contains("bootstrap command 'seed.sh' must be an absolute path", error.Message, StringComparison.Ordinal);
    }
}
