using Hangar.State.Etcd;

namespace Hangar.State.Tests.Etcd;

[Collection(EtcdCollection.Name)]
public sealed class EtcdStoreContractTests(EtcdFixture etcd) : StoreContractTests
{
    private readonly EtcdStore _store = new(new EtcdStoreOptions { Endpoints = [etcd.Server.ClientUrl] });

    protected override IKeyValueStore Store => _store;

    protected override Task CompactAsync(long revision) => etcd.Server.CompactAsync(revision, Ct);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _store.Dispose();
        }

        base.Dispose(disposing);
    }
}
