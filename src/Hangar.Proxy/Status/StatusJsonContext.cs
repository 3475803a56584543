using System.Text.Json.Serialization;

namespace Hangar.Proxy.Status;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ProxyStatus))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
