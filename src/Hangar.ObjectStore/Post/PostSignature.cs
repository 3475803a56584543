using System.Security.Cryptography;
using System.Text;
using Hangar.ObjectStore.Auth;
using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Post;

/// <summary>
/// Who signed a POST form. SigV4: x-amz-signature = hex HMAC-SHA256 of the base64 policy under the signing key
/// of x-amz-credential's date, region and service; SigV2: signature = base64 HMAC-SHA1 of the base64 policy.
/// A form with neither is anonymous (allowed only where the bucket ACL grants everyone WRITE).
/// </summary>
internal static class PostSignature
{
    private static readonly AuthResult Mismatch = AuthResult.Fail("SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.");

    public static AuthResult Verify(IReadOnlyDictionary<string, string> fields, CatalogSnapshot catalog)
    {
        var v4 = fields.ContainsKey("x-amz-credential") || fields.ContainsKey("x-amz-signature") || fields.ContainsKey("x-amz-algorithm");
        var v2 = fields.ContainsKey("awsaccesskeyid") || fields.ContainsKey("signature");
        var policy = fields.GetValueOrDefault("policy");
        if (!v4 && !v2)
        {
            return policy is null ? AuthResult.Anonymous : Missing("AWSAccessKeyId");
        }
        if (policy is null)
        {
            return Missing("policy");
        }
        return v4 ? VerifyV4(fields, policy, catalog) : VerifyV2(fields, policy, catalog);
    }

    private static AuthResult VerifyV4(IReadOnlyDictionary<string, string> fields, string policy, CatalogSnapshot catalog)
    {
        foreach (var name in (string[])["x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"])
        {
            if (!fields.ContainsKey(name))
            {
                return Missing(name);
            }
        }
        if (fields["x-amz-algorithm"] != SigV4.Algorithm)
        {
            return AuthResult.Fail("InvalidArgument", $"Unsupported x-amz-algorithm '{fields["x-amz-algorithm"]}': only {SigV4.Algorithm} is supported.");
        }
        // AKID/yyyymmdd/region/service/aws4_request
        var parts = fields["x-amz-credential"].Split('/');
        if (parts.Length != 5 || parts[4] != "aws4_request")
        {
            return AuthResult.Fail("InvalidArgument", "x-amz-credential must be ACCESSKEY/yyyymmdd/region/s3/aws4_request.");
        }
        if (!catalog.Keys.TryGetValue(parts[0], out var key))
        {
            return UnknownKey();
        }
        var expected = SigV4.Sign(SigV4.SigningKey(key.SecretKey, parts[1], parts[2], parts[3]), policy);
        return SigV4.SignatureEquals(expected, fields["x-amz-signature"]) ? Signed(key) : Mismatch;
    }

    private static AuthResult VerifyV2(IReadOnlyDictionary<string, string> fields, string policy, CatalogSnapshot catalog)
    {
        if (!fields.TryGetValue("awsaccesskeyid", out var keyId))
        {
            return Missing("AWSAccessKeyId");
        }
        if (!fields.TryGetValue("signature", out var signature))
        {
            return Missing("Signature");
        }
        if (!catalog.Keys.TryGetValue(keyId, out var key))
        {
            return UnknownKey();
        }
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(key.SecretKey), Encoding.UTF8.GetBytes(policy)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)) ? Signed(key) : Mismatch;
    }

    private static AuthResult Signed(AccessKeyRecord key) => new() { Key = key, Payload = PayloadMode.Unsigned };

    private static AuthResult UnknownKey() =>
        AuthResult.Fail("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");

    private static AuthResult Missing(string field)
    {
        var error = PostPolicyError.MissingField(field);
        return AuthResult.Fail(error.Code, error.Message);
    }
}
