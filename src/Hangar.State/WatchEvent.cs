namespace Hangar.State;

public enum WatchEventKind
{
    Put,
    Delete,
}

/// <summary>One change seen by a watch. <see cref="Value"/> is null for deletes.</summary>
public sealed record WatchEvent(WatchEventKind Kind, string Key, byte[]? Value, long ModRevision);
