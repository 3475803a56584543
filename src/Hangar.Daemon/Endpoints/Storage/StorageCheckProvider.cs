using Hangar.Client.Models;
using Hangar.Daemon.Endpoints.Checks;
using Hangar.Daemon.Services;

namespace Hangar.Daemon.Endpoints.Storage;

internal sealed class StorageCheckProvider(StorageService service) : ICheckProvider
{
    public Task<IReadOnlyList<CheckInfo>?> ChecksAsync(string name, CancellationToken cancellationToken) => service.ChecksAsync(name, cancellationToken);
}
