using Hangar.ObjectStore.Acl;

namespace Hangar.ObjectStore.Tests.Acl;

/// <summary>The ACL value itself: storage round trip, RGW's grant order, and the decision rules.</summary>
public sealed class AccessControlListTests
{
    private static readonly string Owner = new('a', 64);
    private static readonly string Other = new('0', 64);

    [Fact]
    public void Encode_Decode_RoundTrips_AndKeepsRgwOrder()
    {
        var acl = new AccessControlList(Owner,
        [
            new AclGrant(GranteeKind.User, Owner, AclPermission.FullControl),
            new AclGrant(GranteeKind.User, Other, AclPermission.Read),
            new AclGrant(GranteeKind.AllUsers, null, AclPermission.Read),
            new AclGrant(GranteeKind.User, Other, AclPermission.WriteAcp),
            new AclGrant(GranteeKind.AuthenticatedUsers, null, AclPermission.Write),
        ]);
        Assert.Equal(
            [GranteeKind.AllUsers, GranteeKind.AuthenticatedUsers, GranteeKind.User, GranteeKind.User, GranteeKind.User],
            acl.Grants.Select(g => g.Kind));
        Assert.Equal([Other, Other, Owner], acl.Grants.Skip(2).Select(g => g.UserId));
        Assert.Equal([AclPermission.Read, AclPermission.WriteAcp], acl.Grants.Skip(2).Take(2).Select(g => g.Permission));
        var back = AccessControlList.Decode(acl.Encode());
        Assert.NotNull(back);
        Assert.Equal(acl, back);
        Assert.Equal(acl.Grants, back.Grants);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v2 x")]
    [InlineData("v1")]
    [InlineData("v1 owner Z:all")]
    [InlineData("v1 owner R:u")]
    [InlineData("v1 owner R:group")]
    public void Decode_RefusesWhatItDidNotWrite(string encoded) => Assert.Null(AccessControlList.Decode(encoded));

    [Fact]
    public void Allows_FollowsGrants_OwnerKeepsAcp_CapsWin()
    {
        var acl = new AccessControlList(Owner, [new AclGrant(GranteeKind.AuthenticatedUsers, null, AclPermission.Write)]);
        var owner = new Requester(Owner, true, false, true);
        var other = new Requester(Other, true, false, true);
        Assert.False(acl.Allows(owner, AclPermission.Read));
        Assert.True(acl.Allows(owner, AclPermission.ReadAcp));
        Assert.True(acl.Allows(owner, AclPermission.WriteAcp));
        Assert.True(acl.Allows(other, AclPermission.Write));
        Assert.False(acl.Allows(other, AclPermission.WriteAcp));
        Assert.False(acl.Allows(Requester.Anonymous, AclPermission.Write));
        Assert.False(acl.Allows(other with { ReadOnly = true }, AclPermission.Write));
        Assert.False(acl.Allows(owner with { InScope = false }, AclPermission.ReadAcp));

        var everyone = CannedAcl.Build("public-read-write", Owner, Owner)!;
        Assert.True(everyone.Allows(Requester.Anonymous, AclPermission.Write));
        Assert.False(everyone.Allows(other with { InScope = false }, AclPermission.Read));
        Assert.Null(CannedAcl.Build("log-delivery-write", Owner, Owner));
        Assert.Equal(AccessControlList.Private(Owner), CannedAcl.Build("bucket-owner-full-control", Owner, Owner));
        Assert.Equal(2, CannedAcl.Build("bucket-owner-full-control", Other, Owner)!.Grants.Count);
    }
}
