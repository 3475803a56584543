using System.Globalization;
using System.Runtime.InteropServices;

namespace Hangar.Redis.Files;

/// <summary>
/// A system user's uid and gid. When the daemon is root, redis-server runs as the `redis` user, so the files
/// and the data directory it writes must belong to that user.
/// </summary>
public sealed partial record FileOwner(string User, uint Uid, uint Gid)
{
    /// <summary>Looks <paramref name="user"/> up in /etc/passwd; null when there is no such user.</summary>
    public static FileOwner? Lookup(string user, string passwdFile = "/etc/passwd")
    {
        if (!File.Exists(passwdFile))
        {
            return null;
        }

        foreach (var line in File.ReadLines(passwdFile))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == user
                && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                && uint.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
            {
                return new FileOwner(user, uid, gid);
            }
        }

        return null;
    }

    public void Apply(string path)
    {
        if (Chown(path, Uid, Gid) != 0)
        {
            throw new IOException($"could not give {path} to user {User} (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, uint owner, uint group);
}
