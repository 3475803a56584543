using System.Globalization;

namespace Hangar.ObjectStore.Post;

/// <summary>One condition of a POST policy. <see cref="Field"/> is lower-case without the '$': S3 matches field names case-insensitively.</summary>
internal sealed record PostCondition(PostConditionKind Kind, string Field, string Value, long Min = 0, long Max = 0)
{
    public bool Covers(string field) => Kind != PostConditionKind.ContentLengthRange && Field == field;

    public bool Holds(string? value)
    {
        value ??= "";
        return Kind switch
        {
            PostConditionKind.Equals => string.Equals(value, Value, StringComparison.Ordinal),
            PostConditionKind.StartsWith when Field == "content-type" =>
                value.Split(',').All(v => v.Trim().StartsWith(Value, StringComparison.Ordinal)),
            PostConditionKind.StartsWith => value.StartsWith(Value, StringComparison.Ordinal),
            _ => true,
        };
    }

    /// <summary>The condition as S3 quotes it in "Policy Condition failed: ...".</summary>
    public override string ToString() => Kind switch
    {
        PostConditionKind.ContentLengthRange => string.Create(CultureInfo.InvariantCulture, $"[\"content-length-range\", {Min}, {Max}]"),
        _ => $"[\"{(Kind == PostConditionKind.Equals ? "eq" : "starts-with")}\", \"${Field}\", \"{Value}\"]",
    };
}
