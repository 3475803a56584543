namespace Hangar.ObjectStore.Multipart;

internal enum CompleteStatus
{
    Ok,
    NoSuchUpload,
    InvalidPart,
    InvalidPartOrder,
    EntityTooSmall,
    PreconditionFailed,
}
