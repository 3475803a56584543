using System.Xml.Linq;
using Hangar.ObjectStore.Lifecycle;
using Hangar.ObjectStore.Storage;

namespace Hangar.ObjectStore.Tests.Lifecycle;

public sealed class LifecycleXmlTests
{
    private static LifecycleParse Parse(string rules) =>
        LifecycleXml.Parse(XDocument.Parse($"<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">{rules}</LifecycleConfiguration>"));

    private static string Rule(string id, string filter, string actions, string status = "Enabled") =>
        $"<Rule><ID>{id}</ID>{filter}<Status>{status}</Status>{actions}</Rule>";

    [Theory]
    [InlineData("<Expiration><Days>3</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>", "MalformedXML")]
    [InlineData("<Expiration><Days>0</Days></Expiration>", "InvalidArgument")]
    [InlineData("<Expiration><Days>-2</Days></Expiration>", "InvalidArgument")]
    [InlineData("<Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration>", "InvalidArgument")]
    [InlineData("<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>", "InvalidArgument")]
    [InlineData("<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>", "InvalidArgument")]
    [InlineData("", "InvalidRequest")]
    [InlineData("<Transition><Days>3</Days><StorageClass>GLACIER</StorageClass></Transition>", "InvalidRequest")]
    public void Invalid_actions_get_S3s_error(string actions, string code)
    {
        var parsed = Parse(Rule("r", "<Filter><Prefix>a/</Prefix></Filter>", actions));
        Assert.Null(parsed.Rules);
        Assert.Equal(code, parsed.ErrorCode);
    }

    [Fact]
    public void Duplicate_ids_more_than_1000_rules_bad_status_and_filter_plus_prefix_are_refused()
    {
        var expire = "<Expiration><Days>1</Days></Expiration>";
        Assert.Equal("InvalidArgument", Parse(Rule("same", "<Filter/>", expire) + Rule("same", "<Filter/>", expire)).ErrorCode);
        Assert.Equal("MalformedXML", Parse(string.Concat(Enumerable.Range(0, 1001).Select(i => Rule("r" + i, "<Filter/>", expire)))).ErrorCode);
        Assert.NotNull(Parse(string.Concat(Enumerable.Range(0, 1000).Select(i => Rule("r" + i, "<Filter/>", expire)))).Rules);
        Assert.Equal("MalformedXML", Parse(Rule("r", "<Filter/>", expire, status: "On")).ErrorCode);
        Assert.Equal("MalformedXML", Parse(Rule("r", "<Prefix>a</Prefix><Filter/>", expire)).ErrorCode);
        Assert.Equal("MalformedXML", Parse(Rule("r", "<Filter><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter>", expire)).ErrorCode);
        Assert.Equal("InvalidRequest", Parse(Rule("r", "<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>",
            "<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload>")).ErrorCode);
        Assert.Equal("MalformedXML", LifecycleXml.Parse(XDocument.Parse("<CORSConfiguration/>")).ErrorCode);
    }

    [Fact]
    public void And_filter_legacy_prefix_and_all_actions_round_trip_through_Get()
    {
        var parsed = Parse(
            Rule("logs", "<Filter><And><Prefix>logs/</Prefix><Tag><Key>tier</Key><Value>tmp</Value></Tag><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter>",
                "<Expiration><Days>30</Days></Expiration><NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays></NoncurrentVersionExpiration>")
            + Rule("old", "<Prefix>old/</Prefix>", "<Expiration><Date>2030-01-01T00:00:00.000Z</Date></Expiration>", status: "Disabled")
            + Rule("mp", "<Filter></Filter>", "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload>"));
        Assert.NotNull(parsed.Rules);
        var again = LifecycleXml.Parse(XDocument.Parse(LifecycleXml.Write(parsed.Rules!).ToString()));
        Assert.Equal(3, again.Rules!.Count);
        var logs = again.Rules[0];
        Assert.Equal(("logs/", 10L, 100L, 30, 5), (logs.Prefix, logs.SizeGreaterThan!.Value, logs.SizeLessThan!.Value, logs.ExpirationDays!.Value, logs.NoncurrentDays!.Value));
        Assert.Equal(new KeyValuePair<string, string>("tier", "tmp"), Assert.Single(logs.Tags));
        Assert.False(again.Rules[1].Enabled);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), again.Rules[1].ExpirationDate);
        Assert.True(again.Rules[2].ExpiredObjectDeleteMarker);
        Assert.Equal(7, again.Rules[2].AbortDays);
    }

    [Fact]
    public void Days_round_up_to_the_next_midnight_UTC_and_the_earliest_rule_wins()
    {
        var rules = Parse(Rule("week", "<Filter><Prefix>a/</Prefix></Filter>", "<Expiration><Days>7</Days></Expiration>")
            + Rule("day", "<Filter><And><Prefix>a/</Prefix><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan></And></Filter>", "<Expiration><Days>1</Days></Expiration>")
            + Rule("tagged", "<Filter><Tag><Key>t</Key><Value>x</Value></Tag></Filter>", "<Expiration><Days>2</Days></Expiration>")).Rules!;
        var tags = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["b/tagged"] = new Dictionary<string, string> { ["t"] = "x" } };
        var evaluator = new LifecycleEvaluator(rules, LifecycleClock.Standard,
            v => tags.TryGetValue(v.Key, out var t) ? t : new Dictionary<string, string>());
        var created = new DateTimeOffset(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);
        ObjectVersion Version(string key, long size) => new(key, 1, "null", true, false, "b", null, size, "e", created.ToUnixTimeMilliseconds(), "", null, null);
        Assert.Equal((new DateTimeOffset(2026, 1, 23, 0, 0, 0, TimeSpan.Zero), "week"), evaluator.CurrentExpiry(Version("a/small", 3)));
        Assert.Equal((new DateTimeOffset(2026, 1, 17, 0, 0, 0, TimeSpan.Zero), "day"), evaluator.CurrentExpiry(Version("a/large", 50)));
        Assert.Equal((new DateTimeOffset(2026, 1, 18, 0, 0, 0, TimeSpan.Zero), "tagged"), evaluator.CurrentExpiry(Version("b/tagged", 1)));
        Assert.Null(evaluator.CurrentExpiry(Version("b/untagged", 1)));
    }
}
