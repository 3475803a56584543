using Hangar.Client.Models;
using Hangar.Daemon.Endpoints.Checks;
using Hangar.Daemon.Services;

namespace Hangar.Daemon.Endpoints.Postgres;

internal sealed class PostgresCheckProvider(PostgresService service) : ICheckProvider
{
    public Task<IReadOnlyList<CheckInfo>?> ChecksAsync(string name, CancellationToken cancellationToken) => service.ChecksAsync(name, cancellationToken);
}
