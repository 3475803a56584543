using System.Net;

namespace Hangar.ObjectStore.Policy;

/// <summary>IAM's order: an explicit Deny in any matching statement wins, then any Allow; otherwise no decision.</summary>
internal static class PolicyEvaluator
{
    public static PolicyDecision Evaluate(BucketPolicy policy, PolicyRequest request)
    {
        var allowed = false;
        foreach (var statement in policy.Statements)
        {
            if (!Applies(statement, request))
            {
                continue;
            }
            if (!statement.Allow)
            {
                return PolicyDecision.Deny;
            }
            allowed = true;
        }
        return allowed ? PolicyDecision.Allow : PolicyDecision.None;
    }

    private static bool Applies(PolicyStatement statement, PolicyRequest request) =>
        MatchesPrincipal(statement, request)
        && statement.Actions.Any(a => PolicyGlob.Matches(a, request.Action, ignoreCase: true))
        && statement.Resources.Any(r => PolicyGlob.Matches(r, request.Resource, ignoreCase: false))
        && statement.Conditions.All(c => Holds(c, request));

    private static bool MatchesPrincipal(PolicyStatement statement, PolicyRequest request) =>
        statement.AnyPrincipal
        || (request.CanonicalId is { } id && statement.Principals.Contains(id, StringComparer.Ordinal))
        || (request.AccessKeyId is { } key && statement.Principals.Contains(key, StringComparer.Ordinal));

    /// <summary>A key the request lacks fails a positive test and passes a negated one, as in IAM.</summary>
    private static bool Holds(PolicyCondition condition, PolicyRequest request)
    {
        switch (condition.Operator)
        {
            case "Bool":
                return condition.Values.Contains(request.SecureTransport ? "true" : "false", StringComparer.Ordinal);
            case "IpAddress" or "NotIpAddress":
                var inside = request.SourceIp is { } ip && condition.Values.Any(v => InNetwork(ip, v));
                return condition.Operator == "IpAddress" ? inside : !inside;
        }
        var negated = condition.Operator.Contains("Not", StringComparison.Ordinal);
        if (request.Prefix is not { } prefix)
        {
            return negated;
        }
        var like = condition.Operator.EndsWith("Like", StringComparison.Ordinal);
        var matches = condition.Values.Any(v => like ? PolicyGlob.Matches(v, prefix, ignoreCase: false) : v == prefix);
        return matches != negated;
    }

    private static bool InNetwork(IPAddress ip, string value)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        if (IPNetwork.TryParse(value, out var network))
        {
            return network.Contains(ip);
        }
        return IPAddress.TryParse(value, out var single) && single.Equals(ip);
    }
}
