using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Hangar.ObjectStore.Lifecycle;

/// <summary>
/// Parses and validates a LifecycleConfiguration document as PutBucketLifecycleConfiguration does. Elements the
/// enforcement pass would not act on (transitions: there is one storage class) are refused, not stored and ignored.
/// </summary>
internal static class LifecycleXml
{
    public const int MaxRules = 1000;
    private const int MaxIdLength = 255;

    public static LifecycleParse Parse(XDocument? doc)
    {
        if (doc?.Root is not { } root || root.Name.LocalName != "LifecycleConfiguration")
        {
            return LifecycleParse.Malformed();
        }
        var elements = root.Elements().ToList();
        if (elements.Count == 0 || elements.Any(e => e.Name.LocalName != "Rule"))
        {
            return LifecycleParse.Malformed();
        }
        if (elements.Count > MaxRules)
        {
            return LifecycleParse.Fail("MalformedXML", $"A lifecycle configuration may hold at most {MaxRules} rules; this one has {elements.Count}.");
        }
        var rules = new List<LifecycleRule>(elements.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in elements)
        {
            var parsed = ParseRule(element, rules.Count);
            if (parsed.ErrorCode is not null)
            {
                return parsed;
            }
            var rule = parsed.Rules![0];
            if (!ids.Add(rule.Id))
            {
                return LifecycleParse.Fail("InvalidArgument", $"Rule ID must be unique. Found same ID for more than one rule: {rule.Id}");
            }
            rules.Add(rule);
        }
        return new LifecycleParse(rules, null, null);
    }

    private static LifecycleParse ParseRule(XElement rule, int position)
    {
        string? id = null, status = null, legacyPrefix = null;
        XElement? filter = null, expiration = null, noncurrent = null, abort = null;
        foreach (var child in rule.Elements())
        {
            switch (child.Name.LocalName)
            {
                case "ID": id = child.Value; break;
                case "Status": status = child.Value; break;
                case "Prefix": legacyPrefix = child.Value; break;
                case "Filter": filter = child; break;
                case "Expiration": expiration = child; break;
                case "NoncurrentVersionExpiration": noncurrent = child; break;
                case "AbortIncompleteMultipartUpload": abort = child; break;
                case "Transition" or "NoncurrentVersionTransition":
                    return LifecycleParse.Fail("InvalidRequest", $"{child.Name.LocalName} is not supported: Hangar keeps one storage class, so there is nothing to transition to.");
                default:
                    return LifecycleParse.Malformed();
            }
        }
        if (status is not ("Enabled" or "Disabled"))
        {
            return LifecycleParse.Malformed();
        }
        if (filter is not null && legacyPrefix is not null)
        {
            return LifecycleParse.Malformed();
        }
        id = string.IsNullOrEmpty(id) ? "rule-" + (position + 1).ToString(CultureInfo.InvariantCulture) : id;
        if (id.Length > MaxIdLength)
        {
            return LifecycleParse.Fail("InvalidArgument", $"ID length should not exceed allowed limit of {MaxIdLength}");
        }
        var prefix = legacyPrefix ?? "";
        var tags = new List<KeyValuePair<string, string>>();
        long? greater = null, less = null;
        if (filter is not null && !ParseFilter(filter, ref prefix, tags, ref greater, ref less))
        {
            return LifecycleParse.Malformed();
        }
        int? days = null, noncurrentDays = null, abortDays = null;
        DateTimeOffset? date = null;
        var deleteMarker = false;
        if (expiration is not null)
        {
            var daysText = Child(expiration, "Days");
            var dateText = Child(expiration, "Date");
            var markerText = Child(expiration, "ExpiredObjectDeleteMarker");
            if (new[] { daysText, dateText, markerText }.Count(v => v is not null) != 1)
            {
                return LifecycleParse.Fail("MalformedXML", "Expiration takes exactly one of Days, Date and ExpiredObjectDeleteMarker.");
            }
            if (daysText is not null)
            {
                if (PositiveDays(daysText, "Expiration") is { } error)
                {
                    return error;
                }
                days = int.Parse(daysText, CultureInfo.InvariantCulture);
            }
            if (dateText is not null)
            {
                if (!DateTimeOffset.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
                {
                    return LifecycleParse.Fail("InvalidArgument", $"'Date' {dateText} is not an ISO 8601 date.");
                }
                if (d.TimeOfDay != TimeSpan.Zero)
                {
                    return LifecycleParse.Fail("InvalidArgument", "'Date' must be at midnight GMT");
                }
                date = d;
            }
            if (markerText is not null)
            {
                if (markerText is not ("true" or "false"))
                {
                    return LifecycleParse.Malformed();
                }
                deleteMarker = markerText == "true";
                if (deleteMarker && tags.Count > 0)
                {
                    return LifecycleParse.Fail("InvalidRequest", "ExpiredObjectDeleteMarker cannot be specified with object tags.");
                }
            }
        }
        if (noncurrent is not null)
        {
            var text = Child(noncurrent, "NoncurrentDays");
            if (text is null)
            {
                return LifecycleParse.Malformed();
            }
            if (PositiveDays(text, "NoncurrentVersionExpiration") is { } error)
            {
                return error;
            }
            noncurrentDays = int.Parse(text, CultureInfo.InvariantCulture);
        }
        if (abort is not null)
        {
            var text = Child(abort, "DaysAfterInitiation");
            if (text is null)
            {
                return LifecycleParse.Malformed();
            }
            if (PositiveDays(text, "AbortIncompleteMultipartUpload") is { } error)
            {
                return error;
            }
            if (tags.Count > 0 || greater is not null || less is not null)
            {
                return LifecycleParse.Fail("InvalidRequest", "Tag-based or object-size filters cannot be used with AbortIncompleteMultipartUpload action.");
            }
            abortDays = int.Parse(text, CultureInfo.InvariantCulture);
        }
        if (expiration is null && noncurrent is null && abort is null)
        {
            return LifecycleParse.Fail("InvalidRequest", "At least one action needs to be specified in a rule.");
        }
        var parsed = new LifecycleRule(id, status == "Enabled", prefix, tags, greater, less, days, date, deleteMarker, noncurrentDays, abortDays);
        return new LifecycleParse([parsed], null, null);
    }

    private static LifecycleParse? PositiveDays(string text, string action) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value > 0
            ? null
            : LifecycleParse.Fail("InvalidArgument", $"'Days' for {action} action must be a positive integer; got '{text}'.");

    /// <summary>Filter holds one of Prefix, Tag, ObjectSize*, or an And of several; anything else is malformed.</summary>
    private static bool ParseFilter(XElement filter, ref string prefix, List<KeyValuePair<string, string>> tags, ref long? greater, ref long? less)
    {
        var children = filter.Elements().ToList();
        if (children.Count > 1)
        {
            return false;
        }
        if (children.Count == 1 && children[0].Name.LocalName == "And")
        {
            children = children[0].Elements().ToList();
            if (children.Count == 0)
            {
                return false;
            }
        }
        foreach (var child in children)
        {
            switch (child.Name.LocalName)
            {
                case "Prefix":
                    prefix = child.Value;
                    break;
                case "Tag":
                    var key = Child(child, "Key");
                    var value = Child(child, "Value");
                    if (key is null || value is null || tags.Any(t => t.Key == key))
                    {
                        return false;
                    }
                    tags.Add(new(key, value));
                    break;
                case "ObjectSizeGreaterThan":
                    if (!long.TryParse(child.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var g))
                    {
                        return false;
                    }
                    greater = g;
                    break;
                case "ObjectSizeLessThan":
                    if (!long.TryParse(child.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var l) || l == 0)
                    {
                        return false;
                    }
                    less = l;
                    break;
                default:
                    return false;
            }
        }
        return greater is null || less is null || greater < less;
    }

    private static string? Child(XElement parent, string name) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>The configuration as GetBucketLifecycleConfiguration returns it (always in the Filter form).</summary>
    public static StringBuilder Write(IReadOnlyList<LifecycleRule> rules)
    {
        var sb = Http.Xml.Start("LifecycleConfiguration");
        foreach (var rule in rules)
        {
            sb.Append("<Rule>");
            Http.Xml.Element(sb, "ID", rule.Id);
            sb.Append("<Filter>");
            var parts = (rule.Prefix.Length > 0 ? 1 : 0) + rule.Tags.Count + (rule.SizeGreaterThan is null ? 0 : 1) + (rule.SizeLessThan is null ? 0 : 1);
            if (parts > 1)
            {
                sb.Append("<And>");
            }
            if (rule.Prefix.Length > 0 || parts == 0)
            {
                Http.Xml.Element(sb, "Prefix", rule.Prefix);
            }
            foreach (var (key, value) in rule.Tags)
            {
                sb.Append("<Tag>");
                Http.Xml.Element(sb, "Key", key);
                Http.Xml.Element(sb, "Value", value);
                sb.Append("</Tag>");
            }
            if (rule.SizeGreaterThan is { } g)
            {
                Http.Xml.Element(sb, "ObjectSizeGreaterThan", g);
            }
            if (rule.SizeLessThan is { } l)
            {
                Http.Xml.Element(sb, "ObjectSizeLessThan", l);
            }
            if (parts > 1)
            {
                sb.Append("</And>");
            }
            sb.Append("</Filter>");
            Http.Xml.Element(sb, "Status", rule.Enabled ? "Enabled" : "Disabled");
            if (rule.ExpirationDays is { } days)
            {
                sb.Append("<Expiration>");
                Http.Xml.Element(sb, "Days", days);
                sb.Append("</Expiration>");
            }
            else if (rule.ExpirationDate is { } date)
            {
                sb.Append("<Expiration>");
                Http.Xml.Element(sb, "Date", date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                sb.Append("</Expiration>");
            }
            else if (rule.ExpiredObjectDeleteMarker)
            {
                sb.Append("<Expiration>");
                Http.Xml.Element(sb, "ExpiredObjectDeleteMarker", true);
                sb.Append("</Expiration>");
            }
            if (rule.NoncurrentDays is { } nd)
            {
                sb.Append("<NoncurrentVersionExpiration>");
                Http.Xml.Element(sb, "NoncurrentDays", nd);
                sb.Append("</NoncurrentVersionExpiration>");
            }
            if (rule.AbortDays is { } ad)
            {
                sb.Append("<AbortIncompleteMultipartUpload>");
                Http.Xml.Element(sb, "DaysAfterInitiation", ad);
                sb.Append("</AbortIncompleteMultipartUpload>");
            }
            sb.Append("</Rule>");
        }
        return sb.Append("</LifecycleConfiguration>");
    }
}
