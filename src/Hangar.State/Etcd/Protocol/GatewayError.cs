namespace Hangar.State.Etcd.Protocol;

/// <summary>The body of a non-2xx unary gateway response; <see cref="Code"/> is the gRPC status code.</summary>
internal sealed record GatewayError
{
    public string? Error { get; init; }

    public string? Message { get; init; }

    public int Code { get; init; }
}
