using System.Text.Json;
using Hangar.Client.Models;

namespace Hangar.Client;

public sealed partial class HangarClient
{
    public Task<IReadOnlyList<BucketInfo>> ListBucketsAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<BucketInfo>>("v1/storage", cancellationToken);

    public Task<StorageCreated> CreateBucketAsync(StorageCreateRequest request, CancellationToken cancellationToken) =>
        SendAsync<StorageCreated>(HttpMethod.Post, "v1/storage", request, cancellationToken);

    public Task<BucketInfo> GetBucketAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<BucketInfo>($"v1/storage/{Uri.EscapeDataString(name)}", cancellationToken);

    public Task<BucketInfo> UpdateBucketAsync(string name, StorageUpdateRequest request, CancellationToken cancellationToken) =>
        SendAsync<BucketInfo>(HttpMethod.Post, $"v1/storage/{Uri.EscapeDataString(name)}/update", request, cancellationToken);

    public Task DestroyBucketAsync(string name, bool force, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"v1/storage/{Uri.EscapeDataString(name)}?force={(force ? "true" : "false")}", null, cancellationToken);

    public Task<IReadOnlyList<StorageKeyInfo>> ListStorageKeysAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<StorageKeyInfo>>("v1/storage-keys", cancellationToken);

    public Task<StorageKeyCreated> CreateStorageKeyAsync(StorageKeyCreateRequest request, CancellationToken cancellationToken) =>
        SendAsync<StorageKeyCreated>(HttpMethod.Post, "v1/storage-keys", request, cancellationToken);

    public Task RevokeStorageKeyAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"v1/storage-keys/{Uri.EscapeDataString(id)}", null, cancellationToken);
}
