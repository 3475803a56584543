namespace Hangar.State.Etcd;

/// <summary>When a request may be sent again to the next endpoint.</summary>
internal enum FailoverPolicy
{
    /// <summary>Reads: any transport failure, timeout or 5xx moves on to the next endpoint.</summary>
    AnyFailure,

    /// <summary>Writes: only a failure to connect, where the request provably never left this process.</summary>
    ConnectFailureOnly,
}
