using Hangar.State.InMemory;

namespace Hangar.State.Tests.InMemory;

public sealed class InMemoryStoreContractTests : StoreContractTests
{
    private readonly InMemoryStore _store = new();

    protected override IKeyValueStore Store => _store;

    protected override Task CompactAsync(long revision)
    {
        _store.Compact(revision);
        return Task.CompletedTask;
    }
}
