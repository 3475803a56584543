namespace Hangar.State.Etcd.Protocol;

/// <summary>The gateway's error object inside a streamed response (unary errors use <see cref="GatewayError"/>).</summary>
internal sealed record StreamError
{
    public int GrpcCode { get; init; }

    public string? Message { get; init; }
}
