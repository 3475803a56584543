namespace Hangar.State;

/// <summary>A key with its value and etcd revisions (ModRevision is the compare-and-swap token).</summary>
public sealed record StoreEntry(string Key, byte[] Value, long ModRevision, long CreateRevision);
