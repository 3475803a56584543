using System.Text.Json;
using System.Text.Json.Serialization;
using Hangar.Core.Errors;

namespace Hangar.State;

/// <summary>JSON records over an <see cref="IKeyValueStore"/>, with compare-and-swap retry loops for read-modify-write.</summary>
public sealed class RecordStore(IKeyValueStore store)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public IKeyValueStore Inner => store;

    public static byte[] Encode<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    public static T Decode<T>(byte[] value) => JsonSerializer.Deserialize<T>(value, Json) ?? throw new InvalidDataException("empty record");

    public async Task<Versioned<T>?> GetAsync<T>(string key, CancellationToken cancellationToken)
    {
        var entry = await store.GetAsync(key, cancellationToken);
        return entry is null ? null : new Versioned<T>(Decode<T>(entry.Value), entry.ModRevision);
    }

    public async Task<IReadOnlyList<Versioned<T>>> ListAsync<T>(string prefix, CancellationToken cancellationToken)
    {
        var entries = await store.ListAsync(prefix, cancellationToken);
        return [.. entries.Select(e => new Versioned<T>(Decode<T>(e.Value), e.ModRevision))];
    }

    /// <summary>Creates the record; false when the key exists (the loser of two concurrent creates gets false).</summary>
    public Task<bool> CreateAsync<T>(string key, T value, CancellationToken cancellationToken) =>
        store.CreateAsync(key, Encode(value), cancellationToken);

    public Task<bool> UpdateAsync<T>(string key, T value, long expectedModRevision, CancellationToken cancellationToken) =>
        store.UpdateAsync(key, Encode(value), expectedModRevision, cancellationToken);

    /// <summary>
    /// Read-modify-write with retry on conflict. <paramref name="change"/> returns the new value, or null to leave the record as it is.
    /// Returns the record as stored afterwards, or null when the key does not exist.
    /// </summary>
    public async Task<T?> MutateAsync<T>(string key, Func<T, T?> change, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var current = await GetAsync<T>(key, cancellationToken);
            if (current is null)
            {
                return null;
            }

            var next = change(current.Value);
            if (next is null || ReferenceEquals(next, current.Value))
            {
                return current.Value;
            }

            if (await UpdateAsync(key, next, current.ModRevision, cancellationToken))
            {
                return next;
            }
        }

        throw new HangarException(ErrorCodes.Conflict, $"too many concurrent changes to {key}; try again");
    }
}
