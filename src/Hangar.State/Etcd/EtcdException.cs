namespace Hangar.State.Etcd;

/// <summary>etcd could not be reached, or refused a request for a reason other than a bad argument.</summary>
public sealed class EtcdException : Exception
{
    public EtcdException()
    {
    }

    public EtcdException(string message) : base(message)
    {
    }

    public EtcdException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    public EtcdException(string message, int grpcCode) : base(message) => GrpcCode = grpcCode;

    /// <summary>The gRPC status code etcd answered with (11, OutOfRange, for a compacted revision); null for transport failures.</summary>
    public int? GrpcCode { get; }
}
