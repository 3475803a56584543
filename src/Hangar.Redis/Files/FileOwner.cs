using Hangar.Core.Unix;

namespace Hangar.Redis.Files;

/// <summary>
/// A system user's uid and gid. When the daemon is root, redis-server runs as the `redis` user, so the files
/// and the data directory it writes must belong to that user.
/// </summary>
public sealed record FileOwner(string User, uint Uid, uint Gid)
{
    /// <summary>Null when there is no such user (redis-server not installed yet): the caller decides what that means.</summary>
    public static FileOwner? Lookup(string user) =>
        UnixAccount.TryLookup(user) is { } ids ? new FileOwner(user, ids.Uid, ids.Gid) : null;

    public void Apply(string path) => UnixAccount.Chown(path, Uid, Gid);
}
