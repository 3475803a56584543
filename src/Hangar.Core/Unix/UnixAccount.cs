using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Hangar.Core.Unix;

/// <summary>
/// The system users PostgreSQL and Redis run as, and ownership changes to them. P/Invoke rather than the chown CLI:
/// no process per file, and errors come back as errno instead of parsed stderr.
/// </summary>
public static partial class UnixAccount
{
    public static (uint Uid, uint Gid) Lookup(string user) =>
        TryLookup(user) ?? throw new InvalidOperationException($"system user '{user}' does not exist");

    /// <summary>The user's uid and primary gid (its group is not always named after it: nobody's is nogroup); null when there is no such user.</summary>
    public static (uint Uid, uint Gid)? TryLookup(string user)
    {
        // struct passwd on LP64 glibc: two char* then uid_t, gid_t (both 32-bit).
        var pwd = Marshal.AllocHGlobal(128);
        var buffer = Marshal.AllocHGlobal(16384);
        try
        {
            var rc = GetPwNamR(user, pwd, buffer, 16384, out var result);
            if (rc != 0)
            {
                throw new Win32Exception(rc, $"getpwnam_r({user}) failed");
            }

            if (result == IntPtr.Zero)
            {
                return null;
            }

            var offset = 2 * IntPtr.Size;
            return ((uint)Marshal.ReadInt32(result, offset), (uint)Marshal.ReadInt32(result, offset + 4));
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
            Marshal.FreeHGlobal(pwd);
        }
    }

    /// <summary>lchown: never follows a symlink, so a link planted in a node directory cannot redirect ownership.</summary>
    public static void Chown(string path, uint uid, uint gid)
    {
        if (LChown(path, uid, gid) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new Win32Exception(errno, $"lchown {path} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GetPwNamR(string name, IntPtr pwd, IntPtr buffer, nuint bufferLength, out IntPtr result);

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LChown(string path, uint uid, uint gid);
}
