using System.Text.Json.Serialization;

namespace Hangar.State.Etcd.Protocol;

/// <summary>
/// The gateway speaks protobuf's JSON mapping: snake_case names, int64 as strings, bytes as base64,
/// zero values omitted. Optional request fields are nullable so that "unset" is not sent as 0.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RangeRequest))]
[JsonSerializable(typeof(RangeResponse))]
[JsonSerializable(typeof(TxnRequest))]
[JsonSerializable(typeof(TxnResponse))]
[JsonSerializable(typeof(WatchRequest))]
[JsonSerializable(typeof(WatchStreamMessage))]
[JsonSerializable(typeof(GatewayError))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(EmptyRequest))]
internal sealed partial class EtcdJsonContext : JsonSerializerContext;
