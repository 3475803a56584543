namespace Hangar.Supervision;

public enum ProcessState
{
    Starting,
    Running,
    Backoff,
    Stopping,
    Stopped,
}
