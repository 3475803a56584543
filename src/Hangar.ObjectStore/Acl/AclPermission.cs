namespace Hangar.ObjectStore.Acl;

/// <summary>S3's five ACL permissions; a FULL_CONTROL grant satisfies any of the others.</summary>
internal enum AclPermission
{
    Read,
    Write,
    ReadAcp,
    WriteAcp,
    FullControl,
}
