using Hangar.Postgres.Config;

namespace Hangar.Postgres.Tests.Config;

public sealed class PatroniNodePathsTests
{
    [Fact]
    public void The_credential_files_are_every_file_with_a_password_or_key_and_their_temporary_names_relative_to_the_node()
    {
        var paths = PatroniNodePaths.Under("/data/volumes/vol_a");
        Assert.Equal(
            ["patroni.json", "patroni.json.tmp", "pgbackrest/pgbackrest.conf", "pgbackrest/pgbackrest.conf.tmp", "pgpass", "pgpass.tmp", "post-bootstrap.sql", "post-bootstrap.sql.tmp", "tls/server.key", "tls/server.key.tmp"],
            paths.CredentialFiles.Order(StringComparer.Ordinal));

        // The data directory and the certificate (public) go into a snapshot.
        Assert.DoesNotContain(paths.CredentialFiles, file => file.StartsWith("data", StringComparison.Ordinal) || file.EndsWith(".crt", StringComparison.Ordinal));
    }
}
