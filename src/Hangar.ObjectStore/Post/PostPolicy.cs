using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hangar.ObjectStore.Post;

/// <summary>
/// A browser-upload (POST Object) policy: the base64 JSON document with "expiration" and "conditions".
/// Every condition must hold, and every form field but the signature itself, the file, the policy and
/// x-ignore-* must be named by a condition, so a signed form cannot be stretched with fields the signer
/// never saw. The target bucket counts as a field (S3 answers "Extra input fields: bucket" without its condition).
/// </summary>
internal sealed class PostPolicy
{
    private static readonly string[] ExpirationFormats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:sszzz"];

    private static readonly JsonDocumentOptions JsonOptions = new() { AllowTrailingCommas = true, MaxDepth = 8 };

    private PostPolicy(DateTimeOffset expiration, List<PostCondition> conditions)
    {
        Expiration = expiration;
        Conditions = conditions;
    }

    public DateTimeOffset Expiration { get; }

    public IReadOnlyList<PostCondition> Conditions { get; }

    /// <summary>The smallest content-length-range maximum, so an upload can stop as soon as it is over; null without one.</summary>
    public long? MaxLength => Conditions.Where(c => c.Kind == PostConditionKind.ContentLengthRange).Select(c => (long?)c.Max).Min();

    public static bool IsExempt(string field) =>
        field.Equals("policy", StringComparison.OrdinalIgnoreCase) || field.Equals("x-amz-signature", StringComparison.OrdinalIgnoreCase)
        || field.Equals("signature", StringComparison.OrdinalIgnoreCase) || field.Equals("awsaccesskeyid", StringComparison.OrdinalIgnoreCase)
        || field.Equals("file", StringComparison.OrdinalIgnoreCase) || field.StartsWith("x-ignore-", StringComparison.OrdinalIgnoreCase);

    public static (PostPolicy? Policy, PostPolicyError? Error) Parse(string base64)
    {
        byte[] json;
        try
        {
            json = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            return (null, PostPolicyError.Invalid("the policy is not base64."));
        }
        try
        {
            using var doc = JsonDocument.Parse(json, JsonOptions);
            return Parse(doc.RootElement);
        }
        catch (JsonException)
        {
            return (null, PostPolicyError.Invalid("Invalid JSON."));
        }
    }

    private static (PostPolicy?, PostPolicyError?) Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, PostPolicyError.Invalid("Invalid JSON."));
        }
        if (!root.TryGetProperty("expiration", out var expirationElement))
        {
            return (null, PostPolicyError.Invalid("Policy missing expiration."));
        }
        var text = expirationElement.ValueKind == JsonValueKind.String ? expirationElement.GetString()! : expirationElement.GetRawText();
        if (!DateTimeOffset.TryParseExact(text, ExpirationFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expiration))
        {
            return (null, PostPolicyError.Invalid($"Invalid 'expiration' value: '{text}'"));
        }
        if (!root.TryGetProperty("conditions", out var conditionsElement))
        {
            return (null, PostPolicyError.Invalid("Policy missing conditions."));
        }
        if (conditionsElement.ValueKind != JsonValueKind.Array)
        {
            return (null, PostPolicyError.Invalid("Policy conditions must be an array."));
        }
        var conditions = new List<PostCondition>();
        foreach (var element in conditionsElement.EnumerateArray())
        {
            var (condition, error) = element.ValueKind switch
            {
                JsonValueKind.Object => ParseSimple(element),
                JsonValueKind.Array => ParseOperation(element),
                _ => (null, PostPolicyError.Invalid("Invalid Condition: a condition is an object or an array.")),
            };
            if (error is not null)
            {
                return (null, error);
            }
            conditions.Add(condition!);
        }
        return (new PostPolicy(expiration, conditions), null);
    }

    private static (PostCondition?, PostPolicyError?) ParseSimple(JsonElement element)
    {
        var properties = element.EnumerateObject().ToList();
        if (properties.Count != 1)
        {
            return (null, PostPolicyError.Invalid("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."));
        }
        var property = properties[0];
        if (property.Value.ValueKind != JsonValueKind.String)
        {
            return (null, PostPolicyError.Invalid("Invalid Simple-Condition: value must be a string."));
        }
        return (new PostCondition(PostConditionKind.Equals, property.Name.ToLowerInvariant(), property.Value.GetString()!), null);
    }

    private static (PostCondition?, PostPolicyError?) ParseOperation(JsonElement element)
    {
        var items = element.EnumerateArray().ToList();
        var op = items.Count > 0 && items[0].ValueKind == JsonValueKind.String ? items[0].GetString()!.ToLowerInvariant() : "";
        switch (op)
        {
            case "eq" or "starts-with":
                if (items.Count != 3 || items[1].ValueKind != JsonValueKind.String || items[2].ValueKind != JsonValueKind.String)
                {
                    return (null, PostPolicyError.Invalid($"Invalid Condition: '{op}' takes a field name and a string: {element.GetRawText()}"));
                }
                var field = items[1].GetString()!;
                if (!field.StartsWith('$') || field.Length == 1)
                {
                    return (null, PostPolicyError.Invalid($"Invalid Condition: the field name must start with '$': {element.GetRawText()}"));
                }
                return (new PostCondition(op == "eq" ? PostConditionKind.Equals : PostConditionKind.StartsWith,
                    field[1..].ToLowerInvariant(), items[2].GetString()!), null);
            case "content-length-range":
                if (items.Count != 3 || Integer(items[1]) is not { } min || Integer(items[2]) is not { } max || min < 0 || max < min)
                {
                    return (null, PostPolicyError.Invalid($"Invalid content-length-range: two integers 0 <= min <= max are needed: {element.GetRawText()}"));
                }
                return (new PostCondition(PostConditionKind.ContentLengthRange, "", "", min, max), null);
            default:
                return (null, PostPolicyError.Invalid($"Invalid Condition: unknown operation in {element.GetRawText()} (use eq, starts-with or content-length-range)."));
        }
    }

    private static long? Integer(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) => s,
        _ => null,
    };

    /// <summary>
    /// Expiration, every condition but the length range (checked as the file arrives), and that each form field
    /// is covered. <paramref name="fields"/> compares names case-insensitively.
    /// </summary>
    public PostPolicyError? Check(IReadOnlyDictionary<string, string> fields, string bucket, DateTimeOffset now)
    {
        if (now > Expiration)
        {
            return PostPolicyError.Denied("Policy expired.");
        }
        foreach (var condition in Conditions)
        {
            if (condition.Kind == PostConditionKind.ContentLengthRange)
            {
                continue;
            }
            var value = condition.Field == "bucket" ? bucket : fields.GetValueOrDefault(condition.Field);
            if (!condition.Holds(value))
            {
                return PostPolicyError.Denied("Policy Condition failed: " + condition);
            }
        }
        var extra = new StringBuilder();
        foreach (var name in fields.Keys.Append("bucket"))
        {
            var lower = name.ToLowerInvariant();
            if (!IsExempt(name) && !Conditions.Any(c => c.Covers(lower)))
            {
                extra.Append(extra.Length > 0 ? ", " : "").Append(name);
            }
        }
        return extra.Length > 0 ? PostPolicyError.Denied("Extra input fields: " + extra) : null;
    }

    /// <summary>The content-length-range conditions against the file's size.</summary>
    public PostPolicyError? CheckLength(long size)
    {
        foreach (var condition in Conditions.Where(c => c.Kind == PostConditionKind.ContentLengthRange))
        {
            if (size > condition.Max)
            {
                return new PostPolicyError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
            }
            if (size < condition.Min)
            {
                return new PostPolicyError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size");
            }
        }
        return null;
    }
}
