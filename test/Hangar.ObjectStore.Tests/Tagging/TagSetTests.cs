using System.Xml.Linq;
using Hangar.ObjectStore.Storage;
using Hangar.ObjectStore.Tagging;

namespace Hangar.ObjectStore.Tests.Tagging;

public sealed class TagSetTests
{
    private static TagSet Of(params (string Key, string Value)[] tags) => new([.. tags.Select(t => new KeyValuePair<string, string>(t.Key, t.Value))]);

    [Fact]
    public void ParseQuery_DecodesPercentAndPlus()
    {
        var tags = TagSet.ParseQuery("a=1&b=two%20words&c=x+y&empty=")!;
        Assert.Equal([new("a", "1"), new("b", "two words"), new("c", "x y"), new("empty", "")], tags.Tags);
    }

    [Fact]
    public void StoredPair_RoundTripsAnyCharacters_AndIsReplacedNotDuplicated()
    {
        var tags = Of(("päth/ü", "line\nbreak & = %"), ("k", ""));
        var stored = StoredHeaders.Encode(tags.ApplyTo([new("content-type", "text/plain")]));
        Assert.Equal(tags.Tags, TagSet.Read(stored).Tags);
        var replaced = Of(("only", "one")).ApplyTo(stored);
        Assert.Equal([new("only", "one")], TagSet.Read(replaced).Tags);
        Assert.Equal(2, StoredHeaders.Decode(replaced).Count);
        Assert.Empty(TagSet.Read(TagSet.Empty.ApplyTo(replaced)).Tags);
        Assert.Single(StoredHeaders.Decode(TagSet.Empty.ApplyTo(replaced)));
    }

    [Fact]
    public void Validate_Limits()
    {
        Assert.Null(Of([.. Enumerable.Range(0, 10).Select(i => ("k" + i, "v"))]).Validate());
        Assert.Equal("BadRequest", Of([.. Enumerable.Range(0, 11).Select(i => ("k" + i, "v"))]).Validate()!.Value.Code);
        Assert.Null(Of((new string('k', 128), new string('v', 256))).Validate());
        Assert.Equal("InvalidTag", Of((new string('k', 129), "v")).Validate()!.Value.Code);
        Assert.Equal("InvalidTag", Of(("k", new string('v', 257))).Validate()!.Value.Code);
        // Unicode characters, not UTF-16 units: 128 emoji are a valid key.
        Assert.Null(Of((string.Concat(Enumerable.Repeat("😀", 128)), "v")).Validate());
        Assert.Equal("InvalidTag", Of(("k", "1"), ("k", "2")).Validate()!.Value.Code);
        Assert.Equal("InvalidTag", Of(("", "v")).Validate()!.Value.Code);
        Assert.Equal("InvalidTag", Of(("aws:created", "v")).Validate()!.Value.Code);
    }

    [Fact]
    public void FromXml_ReadsTagging_RejectsOtherDocuments()
    {
        var doc = XDocument.Parse("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value></Value></Tag></TagSet></Tagging>");
        Assert.Equal([new("a", "1"), new("b", "")], TagSet.FromXml(doc)!.Tags);
        Assert.Null(TagSet.FromXml(XDocument.Parse("<Other/>")));
        Assert.Null(TagSet.FromXml(XDocument.Parse("<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>")));
        Assert.Null(TagSet.FromXml(null));
    }
}
