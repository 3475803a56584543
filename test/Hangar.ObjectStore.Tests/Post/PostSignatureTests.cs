using System.Security.Cryptography;
using System.Text;
using Hangar.ObjectStore.Auth;
using Hangar.ObjectStore.Post;
using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Tests.Post;

public sealed class PostSignatureTests
{
    private const string Policy = "eyJleHBpcmF0aW9uIjoiMjAzMC0wMS0wMVQwMDowMDowMFoiLCJjb25kaXRpb25zIjpbXX0=";
    private static readonly AccessKeyRecord Key = new("AKID", "secret", [], false);
    private static readonly CatalogSnapshot Catalog = new([], [Key]);

    private static Dictionary<string, string> V4(string signature) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["policy"] = Policy, ["x-amz-algorithm"] = "AWS4-HMAC-SHA256", ["x-amz-credential"] = "AKID/20261202/local/s3/aws4_request",
        ["x-amz-date"] = "20261202T060000Z", ["x-amz-signature"] = signature,
    };

    private static string GoodV4() => SigV4.Sign(SigV4.SigningKey("secret", "20261202", "local", "s3"), Policy);

    [Fact]
    public void SigV4_SignatureOfThePolicy_NamesTheKey() => Assert.Same(Key, PostSignature.Verify(V4(GoodV4()), Catalog).Key);

    [Fact]
    public void SigV4_WrongSignature_SignatureDoesNotMatch() =>
        Assert.Equal("SignatureDoesNotMatch", PostSignature.Verify(V4(new string('0', 64)), Catalog).ErrorCode);

    [Fact]
    public void SigV4_UnknownKey_InvalidAccessKeyId()
    {
        var fields = V4(GoodV4());
        fields["x-amz-credential"] = "NOPE/20261202/local/s3/aws4_request";
        Assert.Equal("InvalidAccessKeyId", PostSignature.Verify(fields, Catalog).ErrorCode);
    }

    [Theory]
    [InlineData("x-amz-signature")]
    [InlineData("x-amz-date")]
    [InlineData("x-amz-credential")]
    [InlineData("policy")]
    public void SigV4_MissingField_InvalidArgument(string field)
    {
        var fields = V4(GoodV4());
        fields.Remove(field);
        var result = PostSignature.Verify(fields, Catalog);
        Assert.Equal("InvalidArgument", result.ErrorCode);
        Assert.Contains($"'{field}'", result.ErrorMessage!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SigV2_Base64HmacSha1OfThePolicy()
    {
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes("secret"), Encoding.UTF8.GetBytes(Policy)));
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["policy"] = Policy, ["AWSAccessKeyId"] = "AKID", ["signature"] = signature };
        Assert.Same(Key, PostSignature.Verify(fields, Catalog).Key);
        fields["signature"] = "x" + signature[1..];
        Assert.Equal("SignatureDoesNotMatch", PostSignature.Verify(fields, Catalog).ErrorCode);
    }

    [Fact]
    public void NoCredentials_Anonymous_ButAPolicyNeedsThem()
    {
        Assert.True(PostSignature.Verify(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["key"] = "k" }, Catalog).IsAnonymous);
        var withPolicy = PostSignature.Verify(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["key"] = "k", ["policy"] = Policy }, Catalog);
        Assert.Equal("InvalidArgument", withPolicy.ErrorCode);
    }
}
