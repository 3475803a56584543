using System.Net;
using System.Text.Json;
using Hangar.ObjectStore.Acl;

namespace Hangar.ObjectStore.Policy;

/// <summary>
/// Parses a bucket policy and refuses, naming it, anything the evaluator would not enforce (NotPrincipal,
/// NotAction, NotResource, unknown actions, condition operators or keys): a policy is never stored and partly ignored.
/// </summary>
internal static class PolicyParser
{
    public const int MaxBytes = 20 * 1024;

    private static readonly string[] s_conditionOperators =
        ["Bool", "IpAddress", "NotIpAddress", "StringEquals", "StringNotEquals", "StringLike", "StringNotLike"];

    /// <param name="knownIds">Canonical ids and access key ids a principal may name; null skips the check (reloading a stored policy).</param>
    public static PolicyParse Parse(string json, string bucket, Func<string, bool>? knownIds)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(json) > MaxBytes)
        {
            return Fail($"Policies must be no larger than {MaxBytes / 1024} KB.");
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            return Fail("This policy contains invalid Json: " + ex.Message);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail("This policy contains invalid Json: the document is not an object.");
            }
            JsonElement? statements = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "Version":
                        if (property.Value.GetString() is not ("2012-10-17" or "2008-10-17"))
                        {
                            return Fail($"Version \"{property.Value}\" is not supported; use \"2012-10-17\".");
                        }
                        break;
                    case "Id":
                        break;
                    case "Statement":
                        statements = property.Value;
                        break;
                    default:
                        return Fail($"Unknown policy element \"{property.Name}\".");
                }
            }
            if (statements is not { } list)
            {
                return Fail("Missing required field Statement.");
            }
            var items = list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [list];
            if (items.Count == 0)
            {
                return Fail("Missing required field Statement.");
            }
            var parsed = new List<PolicyStatement>(items.Count);
            foreach (var item in items)
            {
                var (statement, error) = ParseStatement(item, bucket, knownIds);
                if (error is not null)
                {
                    return Fail(error);
                }
                parsed.Add(statement!);
            }
            return new PolicyParse(new BucketPolicy(json, parsed), null);
        }
    }

    private static PolicyParse Fail(string message) => new(null, message);

    private static (PolicyStatement?, string?) ParseStatement(JsonElement item, string bucket, Func<string, bool>? knownIds)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return (null, "Each Statement must be a JSON object.");
        }
        string? sid = null, effect = null;
        JsonElement? principal = null, action = null, resource = null, condition = null;
        foreach (var property in item.EnumerateObject())
        {
            switch (property.Name)
            {
                case "Sid": sid = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null; break;
                case "Effect": effect = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null; break;
                case "Principal": principal = property.Value; break;
                case "Action": action = property.Value; break;
                case "Resource": resource = property.Value; break;
                case "Condition": condition = property.Value; break;
                case "NotPrincipal" or "NotAction" or "NotResource":
                    return (null, $"{property.Name} is not supported by Hangar's policy evaluator; write the statement with {property.Name[3..]}.");
                default:
                    return (null, $"Unknown statement element \"{property.Name}\".");
            }
        }
        if (effect is not ("Allow" or "Deny"))
        {
            return (null, $"Invalid effect \"{effect}\": use Allow or Deny.");
        }
        if (principal is null || action is null || resource is null)
        {
            return (null, $"Statement {sid ?? "(no Sid)"} is missing {(principal is null ? "Principal" : action is null ? "Action" : "Resource")}.");
        }
        var (any, principals, principalError) = ParsePrincipal(principal.Value, knownIds);
        if (principalError is not null)
        {
            return (null, principalError);
        }
        var actions = Strings(action.Value);
        if (actions is null || actions.Count == 0)
        {
            return (null, "Action must be a string or an array of strings.");
        }
        foreach (var a in actions)
        {
            if (!PolicyActions.Known.Any(k => PolicyGlob.Matches(a, k, ignoreCase: true)))
            {
                return (null, $"Policy has invalid action \"{a}\": Hangar evaluates {string.Join(", ", PolicyActions.Known)} (wildcards allowed).");
            }
        }
        var resources = Strings(resource.Value);
        if (resources is null || resources.Count == 0)
        {
            return (null, "Resource must be a string or an array of strings.");
        }
        var arn = "arn:aws:s3:::" + bucket;
        foreach (var r in resources)
        {
            if (r != arn && !r.StartsWith(arn + "/", StringComparison.Ordinal) && !(r.EndsWith('*') && arn.StartsWith(r[..^1], StringComparison.Ordinal)))
            {
                return (null, $"Policy has invalid resource \"{r}\": a bucket policy names {arn} or {arn}/KEY (wildcards allowed).");
            }
        }
        var conditions = new List<PolicyCondition>();
        if (condition is { } block && ParseConditions(block, conditions) is { } conditionError)
        {
            return (null, conditionError);
        }
        return (new PolicyStatement(sid, effect == "Allow", any, principals, actions, resources, conditions), null);
    }

    private static (bool Any, List<string> Ids, string? Error) ParsePrincipal(JsonElement principal, Func<string, bool>? knownIds)
    {
        if (principal.ValueKind == JsonValueKind.String)
        {
            return principal.GetString() == "*" ? (true, [], null) : (false, [], $"Invalid principal in policy: \"{principal.GetString()}\".");
        }
        if (principal.ValueKind != JsonValueKind.Object)
        {
            return (false, [], "Principal must be \"*\" or an object such as {\"AWS\": [...]}.");
        }
        var ids = new List<string>();
        var any = false;
        foreach (var property in principal.EnumerateObject())
        {
            if (property.Name is not ("AWS" or "CanonicalUser"))
            {
                return (false, [], $"Principal type \"{property.Name}\" is not supported: use AWS or CanonicalUser.");
            }
            var values = Strings(property.Value);
            if (values is null || values.Count == 0)
            {
                return (false, [], $"Principal {property.Name} must be a string or an array of strings.");
            }
            foreach (var value in values)
            {
                if (value == "*")
                {
                    any = true;
                    continue;
                }
                var id = value;
                if (property.Name == "AWS" && value.StartsWith("arn:aws:iam::", StringComparison.Ordinal))
                {
                    var user = value.IndexOf(":user/", StringComparison.Ordinal);
                    id = user < 0 ? "" : value[(user + 6)..];
                }
                if (id.Length == 0 || (knownIds is not null && !knownIds(id)))
                {
                    return (false, [], $"Invalid principal in policy: \"{value}\" (use \"*\", a canonical user id, or arn:aws:iam:::user/ACCESSKEYID of a Hangar key).");
                }
                ids.Add(id);
            }
        }
        return (any, ids, null);
    }

    private static string? ParseConditions(JsonElement block, List<PolicyCondition> conditions)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            return "Condition must be an object.";
        }
        foreach (var op in block.EnumerateObject())
        {
            if (!s_conditionOperators.Contains(op.Name, StringComparer.Ordinal))
            {
                return $"Condition operator \"{op.Name}\" is not supported by Hangar's policy evaluator (supported: {string.Join(", ", s_conditionOperators)}).";
            }
            if (op.Value.ValueKind != JsonValueKind.Object)
            {
                return $"Condition {op.Name} must map keys to values.";
            }
            foreach (var test in op.Value.EnumerateObject())
            {
                var key = test.Name;
                var values = Strings(test.Value);
                if (values is null || values.Count == 0)
                {
                    return $"Condition {op.Name} {key} needs a string or an array of strings.";
                }
                var expected = op.Name switch
                {
                    "Bool" => "aws:SecureTransport",
                    "IpAddress" or "NotIpAddress" => "aws:SourceIp",
                    _ => "s3:prefix",
                };
                if (!string.Equals(key, expected, StringComparison.OrdinalIgnoreCase))
                {
                    return $"Condition key \"{key}\" with {op.Name} is not supported by Hangar's policy evaluator (it supports Bool aws:SecureTransport, IpAddress/NotIpAddress aws:SourceIp, String* s3:prefix).";
                }
                foreach (var value in values)
                {
                    if (op.Name == "Bool" && value is not ("true" or "false"))
                    {
                        return $"Condition Bool {key} takes \"true\" or \"false\", not \"{value}\".";
                    }
                    if (op.Name.EndsWith("IpAddress", StringComparison.Ordinal) && !IPNetwork.TryParse(value, out _) && !IPAddress.TryParse(value, out _))
                    {
                        return $"Condition {op.Name} aws:SourceIp value \"{value}\" is not an IP address or CIDR block.";
                    }
                }
                conditions.Add(new PolicyCondition(op.Name, expected, values));
            }
        }
        return null;
    }

    private static List<string>? Strings(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind is JsonValueKind.String or JsonValueKind.True or JsonValueKind.False))
        {
            return value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList();
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return [value.GetRawText()];
        }
        return null;
    }
}
