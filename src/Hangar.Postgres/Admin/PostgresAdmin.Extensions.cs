using Npgsql;

namespace Hangar.Postgres.Admin;

/// <summary>`mpg extensions list`: what the server can load (pg_available_extensions) and where each is installed.</summary>
public sealed partial class PostgresAdmin
{
    public async Task<IReadOnlyList<ExtensionInfo>> ListExtensionsAsync(CancellationToken cancellationToken)
    {
        var available = new List<(string Name, string? Version, string? Comment)>();
        var databases = new List<string>();
        var connection = await OpenAsync(null, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using (var command = new NpgsqlCommand("SELECT name, default_version, comment FROM pg_available_extensions ORDER BY name", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    available.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
                }
            }

            await using (var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    databases.Add(reader.GetString(0));
                }
            }
        }

        // Installed extensions are per database.
        var installed = new Dictionary<string, List<InstalledExtension>>(StringComparer.Ordinal);
        foreach (var database in databases)
        {
            var perDatabase = await OpenAsync(database, cancellationToken).ConfigureAwait(false);
            await using (perDatabase.ConfigureAwait(false))
            {
                await using var command = new NpgsqlCommand("SELECT extname, extversion FROM pg_extension ORDER BY extname", perDatabase);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var name = reader.GetString(0);
                    if (!installed.TryGetValue(name, out var list))
                    {
                        installed[name] = list = [];
                    }

                    list.Add(new InstalledExtension(database, reader.GetString(1)));
                }
            }
        }

        return [.. available.Select(a => new ExtensionInfo(a.Name, a.Version, a.Comment, installed.GetValueOrDefault(a.Name) ?? []))];
    }
}
