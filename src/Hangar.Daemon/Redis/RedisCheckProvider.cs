using Hangar.Client.Models;
using Hangar.Daemon.Checks;

namespace Hangar.Daemon.Redis;

internal sealed class RedisCheckProvider(RedisService service) : ICheckProvider
{
    public Task<IReadOnlyList<CheckInfo>?> ChecksAsync(string name, CancellationToken cancellationToken) => service.ChecksAsync(name, cancellationToken);
}
