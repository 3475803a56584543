using System.Collections.Concurrent;
using Hangar.Daemon.Reconcile;
using Hangar.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hangar.Daemon.Tests.Reconcile;

/// <summary>A phased reconciler whose steps the test supplies; it counts steps and records failures.</summary>
internal sealed class ItemReconciler(IKeyValueStore kv, RecordStore store, TimeProvider time, Func<Item, CancellationToken, Task<StepResult>> step)
    : PhasedReconciler<Item>(kv, store, NullLogger.Instance, time)
{
    public ConcurrentDictionary<string, int> Steps { get; } = new(StringComparer.Ordinal);

    protected override string Name => "items";

    protected override IReadOnlyList<string> WatchedPrefixes => [Item.Prefix];

    protected override string RecordPrefix => Item.Prefix;

    public int StepsOf(string name) => Steps.GetValueOrDefault(name);

    protected override string KeyOf(Item record) => Item.Key(record.Name);

    protected override string NameOf(Item record) => record.Name;

    protected override string PhaseOf(Item record) => record.Phase;

    protected override StepMark MarkOf(Item record) => new(record.Step, record.StepSince);

    protected override Item WithMark(Item record, StepMark mark) => record with { Step = mark.SubPhase, StepSince = mark.Since };

    protected override bool FailsOnError(Item record, Exception error) => record.Phase == "pending";

    protected override Task<StepResult> StepAsync(Item record, CancellationToken cancellationToken)
    {
        Steps.AddOrUpdate(record.Name, 1, (_, n) => n + 1);
        return step(record, cancellationToken);
    }

    protected override async Task FailAsync(Item record, string reason, CancellationToken cancellationToken) =>
        await Records.MutateAsync<Item>(KeyOf(record), r => r with { Phase = "failed", Error = reason }, cancellationToken);
}
