using Hangar.Client.Models;
using Hangar.Daemon.Checks;

namespace Hangar.Daemon.Storage;

internal sealed class StorageCheckProvider(StorageService service) : ICheckProvider
{
    public Task<IReadOnlyList<CheckInfo>?> ChecksAsync(string name, CancellationToken cancellationToken) => service.ChecksAsync(name, cancellationToken);
}
