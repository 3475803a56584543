namespace Hangar.ObjectStore.Auth;

internal enum PayloadMode
{
    /// <summary>No body or an unsigned one (UNSIGNED-PAYLOAD, presigned URLs, anonymous).</summary>
    Unsigned,

    /// <summary>x-amz-content-sha256 holds the hex SHA-256 the body must have.</summary>
    Sha256,

    StreamingSigned,
    StreamingSignedTrailer,
    StreamingUnsignedTrailer,
}
