using System.Text;
using Hangar.ObjectStore.Post;

namespace Hangar.ObjectStore.Tests.Post;

public sealed class PostPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);

    private static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    private static PostPolicy Parse(string json)
    {
        var (policy, error) = PostPolicy.Parse(Encode(json));
        Assert.Null(error);
        return policy!;
    }

    private static PostPolicyError ParseError(string json)
    {
        var (policy, error) = PostPolicy.Parse(Encode(json));
        Assert.Null(policy);
        return error!;
    }

    private static Dictionary<string, string> Fields(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.OrdinalIgnoreCase);

    private const string Full = """
        { "expiration": "2026-12-02T07:00:00.000Z",
          "conditions": [
            {"bucket": "photos"},
            {"acl": "public-read"},
            ["eq", "$success_action_status", "201"],
            ["starts-with", "$key", "user/eric/"],
            ["starts-with", "$Content-Type", "image/"],
            {"x-amz-meta-uuid": "14365123651274"},
            ["content-length-range", 10, 1000],
          ]
        }
        """;

    private static Dictionary<string, string> GoodFields() => Fields(("key", "user/eric/a.png"), ("acl", "public-read"),
        ("success_action_status", "201"), ("content-type", "image/png"), ("X-Amz-Meta-Uuid", "14365123651274"),
        ("policy", "..."), ("x-amz-signature", "..."), ("x-ignore-tracking", "anything"));

    [Fact]
    public void Parse_ReadsEveryConditionKind()
    {
        var policy = Parse(Full);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 7, 0, 0, TimeSpan.Zero), policy.Expiration);
        Assert.Equal(7, policy.Conditions.Count);
        Assert.Contains(new PostCondition(PostConditionKind.Equals, "bucket", "photos"), policy.Conditions);
        Assert.Contains(new PostCondition(PostConditionKind.Equals, "success_action_status", "201"), policy.Conditions);
        Assert.Contains(new PostCondition(PostConditionKind.StartsWith, "content-type", "image/"), policy.Conditions);
        Assert.Contains(new PostCondition(PostConditionKind.ContentLengthRange, "", "", 10, 1000), policy.Conditions);
        Assert.Equal(1000, policy.MaxLength);
    }

    [Fact]
    public void Check_AcceptsAFormThatMeetsEveryCondition()
    {
        Assert.Null(Parse(Full).Check(GoodFields(), "photos", Now));
    }

    [Fact]
    public void Check_ExpiredPolicy_AccessDenied()
    {
        var error = Parse(Full).Check(GoodFields(), "photos", Now.AddHours(2));
        Assert.Equal(("AccessDenied", "Invalid according to Policy: Policy expired."), (error!.Code, error.Message));
    }

    [Theory]
    [InlineData("key", "user/other/a.png", "[\"starts-with\", \"$key\", \"user/eric/\"]")]
    [InlineData("acl", "private", "[\"eq\", \"$acl\", \"public-read\"]")]
    [InlineData("success_action_status", "200", "[\"eq\", \"$success_action_status\", \"201\"]")]
    [InlineData("Content-Type", "text/html", "[\"starts-with\", \"$content-type\", \"image/\"]")]
    [InlineData("Content-Type", "image/png,text/html", "[\"starts-with\", \"$content-type\", \"image/\"]")]
    [InlineData("x-amz-meta-uuid", "1", "[\"eq\", \"$x-amz-meta-uuid\", \"14365123651274\"]")]
    public void Check_EachConditionFailing_NamesTheCondition(string field, string value, string condition)
    {
        var fields = GoodFields();
        fields[field] = value;
        var error = Parse(Full).Check(fields, "photos", Now);
        Assert.Equal(("AccessDenied", "Invalid according to Policy: Policy Condition failed: " + condition), (error!.Code, error.Message));
    }

    [Fact]
    public void Check_WrongBucket_ConditionFails()
    {
        var error = Parse(Full).Check(GoodFields(), "other", Now);
        Assert.Equal("Invalid according to Policy: Policy Condition failed: [\"eq\", \"$bucket\", \"photos\"]", error!.Message);
    }

    [Fact]
    public void Check_MissingConditionedField_Fails()
    {
        var fields = GoodFields();
        fields.Remove("acl");
        Assert.Equal("AccessDenied", Parse(Full).Check(fields, "photos", Now)!.Code);
    }

    [Fact]
    public void Check_FieldNoConditionCovers_ExtraInputFields()
    {
        var fields = GoodFields();
        fields["x-amz-meta-sneaky"] = "1";
        fields["Cache-Control"] = "no-store";
        var error = Parse(Full).Check(fields, "photos", Now);
        Assert.Equal(("AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-sneaky, Cache-Control"), (error!.Code, error.Message));
    }

    [Fact]
    public void Check_PolicyWithoutBucketCondition_BucketIsAnExtraField()
    {
        var policy = Parse("""{"expiration": "2026-12-02T07:00:00Z", "conditions": [["starts-with", "$key", ""]]}""");
        Assert.Equal("Invalid according to Policy: Extra input fields: bucket", policy.Check(Fields(("key", "k")), "photos", Now)!.Message);
    }

    [Fact]
    public void Check_StartsWithEmptyPrefix_AllowsAnyValue()
    {
        var policy = Parse("""{"expiration": "2026-12-02T07:00:00Z", "conditions": [{"bucket": "b"}, ["starts-with", "$key", ""], ["starts-with", "$x-amz-meta-tag", ""]]}""");
        Assert.Null(policy.Check(Fields(("key", "anything/at/all"), ("x-amz-meta-tag", "whatever")), "b", Now));
    }

    [Theory]
    [InlineData(9, "EntityTooSmall")]
    [InlineData(1001, "EntityTooLarge")]
    public void CheckLength_OutsideRange(long size, string code)
    {
        Assert.Equal(code, Parse(Full).CheckLength(size)!.Code);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(1000)]
    public void CheckLength_RangeIsInclusive(long size)
    {
        Assert.Null(Parse(Full).CheckLength(size));
    }

    [Theory]
    [InlineData("""{"conditions": []}""", "Invalid Policy: Policy missing expiration.")]
    [InlineData("""{"expiration": "2026-12-02T07:00:00Z"}""", "Invalid Policy: Policy missing conditions.")]
    [InlineData("""{"EXPIRATION": "2026-12-02T07:00:00Z", "conditions": []}""", "Invalid Policy: Policy missing expiration.")]
    [InlineData("""{"expiration": "2026-12-02T07:00:00Z", "CONDITIONS": []}""", "Invalid Policy: Policy missing conditions.")]
    [InlineData("""{"expiration": "tomorrow", "conditions": []}""", "Invalid Policy: Invalid 'expiration' value: 'tomorrow'")]
    [InlineData("""{"expiration": "2026-12-02T07:00:00Z", "conditions": [{}]}""", "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.")]
    [InlineData("""{"expiration": "2026-12-02T07:00:00Z", "conditions": [{"acl": 1}]}""", "Invalid Policy: Invalid Simple-Condition: value must be a string.")]
    [InlineData("""{"expiration": "2026-12-02T07:00:00Z", "conditions": [ this is not json""", "Invalid Policy: Invalid JSON.")]
    [InlineData("""[1, 2]""", "Invalid Policy: Invalid JSON.")]
    public void Parse_MalformedPolicy_InvalidPolicyDocument(string json, string message)
    {
        var error = ParseError(json);
        Assert.Equal(("InvalidPolicyDocument", message), (error.Code, error.Message));
    }

    [Theory]
    [InlineData("""["content-length-range", 0]""")]
    [InlineData("""["content-length-range", -1, 0]""")]
    [InlineData("""["content-length-range", 10, 5]""")]
    [InlineData("""["content-length-range", "a", 5]""")]
    [InlineData("""["ends-with", "$key", "x"]""")]
    [InlineData("""["eq", "key", "x"]""")]
    [InlineData("""["starts-with", "$key"]""")]
    [InlineData("""["eq", "$key", 5]""")]
    [InlineData("42")]
    public void Parse_BadCondition_InvalidPolicyDocument(string condition)
    {
        Assert.Equal("InvalidPolicyDocument", ParseError($$"""{"expiration": "2026-12-02T07:00:00Z", "conditions": [{{condition}}]}""").Code);
    }

    [Fact]
    public void Parse_NotBase64_InvalidPolicyDocument()
    {
        var (policy, error) = PostPolicy.Parse("%%%not base64");
        Assert.Null(policy);
        Assert.Equal("InvalidPolicyDocument", error!.Code);
    }

    [Fact]
    public void Parse_LengthRangeAsStrings_IsAccepted()
    {
        Assert.Equal(5, Parse("""{"expiration": "2026-12-02T07:00:00Z", "conditions": [["content-length-range", "1", "5"]]}""").MaxLength);
    }

    [Theory]
    [InlineData("policy")]
    [InlineData("x-amz-signature")]
    [InlineData("file")]
    [InlineData("AWSAccessKeyId")]
    [InlineData("signature")]
    [InlineData("x-ignore-anything")]
    public void IsExempt_TheDocumentedFields(string field) => Assert.True(PostPolicy.IsExempt(field));

    [Theory]
    [InlineData("key")]
    [InlineData("x-amz-credential")]
    [InlineData("x-amz-date")]
    [InlineData("x-amz-algorithm")]
    [InlineData("bucket")]
    public void IsExempt_NotOtherFields(string field) => Assert.False(PostPolicy.IsExempt(field));
}
