using System.Runtime.InteropServices;

namespace Hangar.Proxy.Steering;

/// <summary>
/// The Linux calls kernel steering needs: bpf(2) with a zero-filled 144-byte <c>union bpf_attr</c>, pidfd_open(2) and
/// pidfd_getfd(2) (to take a duplicate of the leader's listening socket), close(2). Layouts are the kernel's uapi.
/// </summary>
internal static unsafe partial class SteeringNative
{
    public const int AttrSize = 144;

    // bpf commands, map/program/attach types and helper ids (include/uapi/linux/bpf.h).
    public const int MapCreate = 0;
    public const int MapLookupElem = 1;
    public const int MapUpdateElem = 2;
    public const int MapDeleteElem = 3;
    public const int ProgLoad = 5;
    public const int LinkCreate = 28;
    public const int MapTypeSockmap = 15;
    public const int ProgTypeSkLookup = 30;
    public const int AttachTypeSkLookup = 36;
    public const int HelperMapLookupElem = 1;
    public const int HelperSkRelease = 86;
    public const int HelperSkAssign = 124;

    public const int Enoent = 2;
    public const int SigTerm = 15;

    private const int OpenReadOnly = 0;
    private const int OpenCloseOnExec = 0x80000;

    private static readonly (long Bpf, long PidfdOpen, long PidfdGetfd)? Numbers = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => (321, 434, 438),
        Architecture.Arm64 => (280, 434, 438),
        _ => null,
    };

    public static bool Supported => OperatingSystem.IsLinux() && Numbers is not null;

    public static int Bpf(int command, byte* attr) => (int)Syscall(Numbers!.Value.Bpf, command, (long)attr, AttrSize);

    public static int PidfdOpen(int pid) => (int)Syscall(Numbers!.Value.PidfdOpen, pid, 0, 0);

    public static int PidfdGetfd(int pidfd, int targetFd) => (int)Syscall(Numbers!.Value.PidfdGetfd, pidfd, targetFd, 0);

    public static int OpenForReading(string path) => Open(path, OpenReadOnly | OpenCloseOnExec);

    public static string LastError() => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long first, long second, long third);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "kill")]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);
}
