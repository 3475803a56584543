namespace Hangar.Client.Models;

/// <summary>`storage keys create`: no buckets makes an owner key.</summary>
public sealed record StorageKeyCreateRequest(IReadOnlyList<string> Buckets, bool ReadOnly);
