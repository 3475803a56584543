using System.Security.Cryptography;
using System.Text;

namespace Hangar.Redis.Config;

/// <summary>
/// Renders the ACL file: the `default` user off, the app user without administrative commands, and the daemon's
/// own admin user. Passwords appear only as SHA-256 hashes, so the file on disk does not hold them.
/// </summary>
public static class RedisAcl
{
    public const string AdminUser = "hangar-admin";

    /// <summary>
    /// Everything but @admin (CONFIG, DEBUG, SHUTDOWN, MODULE, ACL SETUSER, SAVE, REPLICAOF, MONITOR...) and FLUSHALL,
    /// which wipes every database at once. Key and channel patterns are open: the instance belongs to its apps.
    /// </summary>
    public const string AppRules = "~* &* +@all -@admin -flushall";

    public static string Render(string appUser, string appPassword, string adminPassword)
    {
        var acl = new StringBuilder();
        acl.Append("user default off resetpass -@all\n");
        acl.Append("user ").Append(appUser).Append(" on #").Append(Hash(appPassword)).Append(' ').Append(AppRules).Append('\n');
        acl.Append("user ").Append(AdminUser).Append(" on #").Append(Hash(adminPassword)).Append(" ~* &* +@all\n");
        return acl.ToString();
    }

    public static string Hash(string password) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
}
