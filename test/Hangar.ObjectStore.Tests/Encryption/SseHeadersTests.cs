using System.Security.Cryptography;
using Hangar.ObjectStore.Encryption;
using Microsoft.AspNetCore.Http;

namespace Hangar.ObjectStore.Tests.Encryption;

public sealed class SseHeadersTests
{
    private static readonly byte[] s_key = RandomNumberGenerator.GetBytes(32);

    private static HttpRequest Request(bool https, string prefix, string algorithm = "AES256", string? key = null, string? md5 = null)
    {
        var context = new DefaultHttpContext();
        context.Request.IsHttps = https;
        context.Request.Headers[prefix + "server-side-encryption-customer-algorithm"] = algorithm;
        context.Request.Headers[prefix + "server-side-encryption-customer-key"] = key ?? Convert.ToBase64String(s_key);
        context.Request.Headers[prefix + "server-side-encryption-customer-key-MD5"] = md5 ?? Convert.ToBase64String(MD5.HashData(s_key));
        return context.Request;
    }

    [Fact]
    public void Customer_keys_are_read_for_the_object_and_the_copy_source_and_refused_when_wrong()
    {
        Assert.Equal(s_key, SseHeaders.CustomerKey(Request(true, "x-amz-"), copySource: false).Key);
        Assert.Equal(s_key, SseHeaders.CustomerKey(Request(true, "x-amz-copy-source-"), copySource: true).Key);
        Assert.Null(SseHeaders.CustomerKey(Request(true, "x-amz-copy-source-"), copySource: false).Key);
        Assert.Equal("InvalidRequest", SseHeaders.CustomerKey(Request(false, "x-amz-"), copySource: false).ErrorCode);
        Assert.Equal("InvalidEncryptionAlgorithmError", SseHeaders.CustomerKey(Request(true, "x-amz-", algorithm: "AES128"), copySource: false).ErrorCode);
        Assert.Equal("InvalidArgument", SseHeaders.CustomerKey(Request(true, "x-amz-", key: Convert.ToBase64String(new byte[16])), copySource: false).ErrorCode);
        Assert.Equal("InvalidArgument", SseHeaders.CustomerKey(Request(true, "x-amz-", md5: Convert.ToBase64String(new byte[16])), copySource: false).ErrorCode);
    }
}
