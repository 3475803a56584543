using Hangar.Client.Models;
using Hangar.Daemon.Checks;

namespace Hangar.Daemon.Sqlite;

internal sealed class SqliteCheckProvider(SqliteService service) : ICheckProvider
{
    public Task<IReadOnlyList<CheckInfo>?> ChecksAsync(string name, CancellationToken cancellationToken) => service.ChecksAsync(name, cancellationToken);
}
