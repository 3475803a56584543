using Hangar.Client.Models;

namespace Hangar.Daemon.Checks;

/// <summary>Health checks of one kind of resource (Redis now; Postgres clusters register theirs the same way).</summary>
internal interface ICheckProvider
{
    /// <summary>The checks of the resource called <paramref name="name"/>, or null when this kind has no such resource.</summary>
    Task<IReadOnlyList<CheckInfo>?> ChecksAsync(string name, CancellationToken cancellationToken);
}
