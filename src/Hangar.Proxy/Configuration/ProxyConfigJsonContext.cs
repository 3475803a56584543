using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hangar.Proxy.Configuration;

// Unknown members are errors: a misspelt "pollIntervalMS" must not silently fall back to the default.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProxyConfigDocument))]
internal sealed partial class ProxyConfigJsonContext : JsonSerializerContext;
