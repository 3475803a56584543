using System.Net;
using Hangar.ObjectStore.Policy;

namespace Hangar.ObjectStore.Tests.Policy;

public sealed class PolicyEvaluatorTests
{
    private const string Alice = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static BucketPolicy Parse(string statements)
    {
        var parsed = PolicyParser.Parse($$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""", "b", id => id is Alice or "BOBKEY");
        Assert.True(parsed.Policy is not null, parsed.Error);
        return parsed.Policy!;
    }

    private static PolicyRequest Request(string action, string resource, string? id = null, string? key = null, bool https = true, string ip = "127.0.0.1", string? prefix = null) =>
        new(action, "arn:aws:s3:::" + resource, id, key, https, IPAddress.Parse(ip), prefix);

    private const string PublicRead = """{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}""";

    [Fact]
    public void Public_read_allows_anyone_GetObject_on_objects_only()
    {
        var policy = Parse(PublicRead);
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, Request("s3:GetObject", "b/a/b.txt")));
        Assert.Equal(PolicyDecision.None, PolicyEvaluator.Evaluate(policy, Request("s3:PutObject", "b/a/b.txt")));
        Assert.Equal(PolicyDecision.None, PolicyEvaluator.Evaluate(policy, Request("s3:ListBucket", "b")));
    }

    [Fact]
    public void Explicit_deny_wins_over_allow_and_wildcards_match_actions_and_resources()
    {
        var policy = Parse(PublicRead + ","
            + """{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:Get*","Resource":"arn:aws:s3:::b/private/*"}""" + ","
            + $$"""{"Effect":"Allow","Principal":{"AWS":["{{Alice}}","arn:aws:iam:::user/BOBKEY"]},"Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}""");
        Assert.Equal(PolicyDecision.Deny, PolicyEvaluator.Evaluate(policy, Request("s3:GetObject", "b/private/x", id: Alice)));
        Assert.Equal(PolicyDecision.Deny, PolicyEvaluator.Evaluate(policy, Request("s3:GetObjectAcl", "b/private/x")));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, Request("s3:PutObject", "b/private/x", id: Alice)));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, Request("s3:DeleteObject", "b/x", key: "BOBKEY")));
        Assert.Equal(PolicyDecision.None, PolicyEvaluator.Evaluate(policy, Request("s3:DeleteObject", "b/x", key: "CAROLKEY")));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, Request("s3:ListBucket", "b", id: Alice)));
    }

    [Fact]
    public void Conditions_secure_transport_source_ip_and_prefix()
    {
        var policy = Parse("""{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"""
            + "," + """{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8"]}}}"""
            + "," + """{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":["home/*"]}}}""");
        Assert.Equal(PolicyDecision.Deny, PolicyEvaluator.Evaluate(policy, Request("s3:GetObject", "b/x", https: false, ip: "10.1.2.3")));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, Request("s3:GetObject", "b/x", ip: "10.1.2.3")));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, Request("s3:GetObject", "b/x", ip: "::ffff:10.1.2.3")));
        Assert.Equal(PolicyDecision.None, PolicyEvaluator.Evaluate(policy, Request("s3:GetObject", "b/x", ip: "192.168.0.1")));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, Request("s3:ListBucket", "b", prefix: "home/ann/")));
        Assert.Equal(PolicyDecision.None, PolicyEvaluator.Evaluate(policy, Request("s3:ListBucket", "b", prefix: "etc/")));
        Assert.Equal(PolicyDecision.None, PolicyEvaluator.Evaluate(policy, Request("s3:ListBucket", "b")));
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[""", "invalid Json")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""", "NotPrincipal")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","NotAction":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""", "NotAction")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObjectTorrent","Resource":"arn:aws:s3:::b/*"}]}""", "s3:GetObjectTorrent")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutBucketPolicy","Resource":"arn:aws:s3:::b"}]}""", "s3:PutBucketPolicy")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]}""", "arn:aws:s3:::other/*")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}]}""", "DateGreaterThan")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:Referer":"x"}}}]}""", "aws:Referer")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam:::user/NOSUCHKEY"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""", "NOSUCHKEY")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""", "Permit")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Resource":"arn:aws:s3:::b/*"}]}""", "Action")]
    public void Unsupported_or_malformed_policies_are_refused_naming_the_problem(string json, string named)
    {
        var parsed = PolicyParser.Parse(json, "b", id => id is Alice or "BOBKEY");
        Assert.Null(parsed.Policy);
        Assert.Contains(named, parsed.Error, StringComparison.Ordinal);
    }
}
