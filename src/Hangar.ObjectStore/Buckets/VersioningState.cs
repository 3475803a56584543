namespace Hangar.ObjectStore.Buckets;

internal enum VersioningState
{
    Unversioned,
    Enabled,
    Suspended,
}
