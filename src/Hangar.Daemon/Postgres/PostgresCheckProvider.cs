using Hangar.Client.Models;
using Hangar.Daemon.Checks;

namespace Hangar.Daemon.Postgres;

internal sealed class PostgresCheckProvider(PostgresService service) : ICheckProvider
{
    public Task<IReadOnlyList<CheckInfo>?> ChecksAsync(string name, CancellationToken cancellationToken) => service.ChecksAsync(name, cancellationToken);
}
