using System.Globalization;

namespace Hangar.Supervision;

/// <summary>System users from /etc/passwd (Debian's service users are local; no NSS lookup is needed).</summary>
public static class UnixUsers
{
    /// <summary>The user's primary group id: its group is not always named after it (nobody's is nogroup).</summary>
    public static int PrimaryGroupId(string user)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == user)
            {
                return int.Parse(fields[3], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no system user '{user}' (install the package that creates it)");
    }
}
