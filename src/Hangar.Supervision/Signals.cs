namespace Hangar.Supervision;

/// <summary>Signals sent to processes by identity, never by a bare pid that could have been reused.</summary>
public static class Signals
{
    public static bool IsRoot => NativeMethods.GetEffectiveUserId() == 0;

    public static bool Send(ProcessIdentity process, int signal) =>
        process.IsAlive() && NativeMethods.Kill(process.Pid, signal) == 0;

    public static bool Terminate(ProcessIdentity process) => Send(process, NativeMethods.SIGTERM);

    public static bool Hangup(ProcessIdentity process) => Send(process, NativeMethods.SIGHUP);

    /// <summary>SIGKILL of one process; it works on a stopped (SIGSTOP) process too.</summary>
    public static bool Kill(ProcessIdentity process) => Send(process, NativeMethods.SIGKILL);

    /// <summary>SIGSTOP: a stopped parent forks no new children while its tree is walked.</summary>
    public static bool Stop(ProcessIdentity process) => Send(process, NativeMethods.SIGSTOP);

    /// <summary>SIGKILL to the process's whole group: children run as session leaders, so their helpers die too.</summary>
    public static bool KillGroup(ProcessIdentity process) =>
        process.IsAlive() && NativeMethods.Kill(-process.Pid, NativeMethods.SIGKILL) == 0;
}
