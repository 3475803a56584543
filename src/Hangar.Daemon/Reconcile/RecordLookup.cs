using Hangar.Core.Errors;
using Hangar.State;

namespace Hangar.Daemon.Reconcile;

/// <summary>"The record or a clear error" for API services: not_found naming what was asked for, failed_precondition for a wrong phase.</summary>
internal static class RecordLookup
{
    /// <summary>The record at <paramref name="key"/>, or not_found "<paramref name="what"/> '<paramref name="name"/>'".</summary>
    public static async Task<T> RequireAsync<T>(this RecordStore store, string key, string what, string name, CancellationToken cancellationToken)
        where T : class =>
        (await store.RequireVersionedAsync<T>(key, what, name, cancellationToken)).Value;

    /// <summary>As <see cref="RequireAsync{T}"/>, with the mod revision for a compare-and-swap that follows.</summary>
    public static async Task<Versioned<T>> RequireVersionedAsync<T>(this RecordStore store, string key, string what, string name, CancellationToken cancellationToken)
        where T : class =>
        await store.GetAsync<T>(key, cancellationToken) ?? throw HangarException.NotFound(what, name);

    /// <summary>The record when it is in <paramref name="wanted"/>; else failed_precondition "WHAT 'NAME' is PHASE, not WANTED".</summary>
    public static T RequirePhase<T, TPhase>(this T record, TPhase phase, TPhase wanted, string what, string name)
        where TPhase : struct, Enum =>
        EqualityComparer<TPhase>.Default.Equals(phase, wanted)
            ? record
            : throw HangarException.Precondition($"{what} '{name}' is {phase.ToString().ToLowerInvariant()}, not {wanted.ToString().ToLowerInvariant()}");
}
