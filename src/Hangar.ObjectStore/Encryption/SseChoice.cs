namespace Hangar.ObjectStore.Encryption;

/// <summary>
/// What a write asked for: nothing, SSE-S3, or SSE-C with the customer's key (and its MD5), or an error to answer.
/// <see cref="Marker"/> is what goes into the stored headers (and the response).
/// </summary>
internal sealed record SseChoice(bool Encrypt, byte[]? CustomerKey, IReadOnlyList<KeyValuePair<string, string>> Marker, string? ErrorCode, string? Message)
{
    public static readonly SseChoice None = new(false, null, [], null, null);

    public static readonly SseChoice S3 = new(true, null, [new(SseHeaders.Name, SseHeaders.Aes256)], null, null);

    public static SseChoice Customer(byte[] key, string md5) =>
        new(true, key, [new(SseHeaders.CustomerAlgorithm, SseHeaders.Aes256), new(SseHeaders.CustomerKeyMd5, md5)], null, null);

    public static SseChoice Fail(string code, string message) => new(false, null, [], code, message);
}
