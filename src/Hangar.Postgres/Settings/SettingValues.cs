using System.Globalization;
using System.Text.RegularExpressions;
using Hangar.Core.Errors;

namespace Hangar.Postgres.Settings;

/// <summary>
/// Checks a parameter value the way PostgreSQL parses it (numbers with its units, enum and bool values), but
/// stricter where a lax value could still reach postgresql.conf and break the next start: no surrounding spaces,
/// no quotes, backslashes or control characters (a newline makes "configuration file contains errors" on every
/// node), no hex or exponents.
/// </summary>
public static partial class SettingValues
{
    /// <summary>Longer than any number, enum or sensible string setting; a guard against floods, not a rule of PostgreSQL.</summary>
    public const int MaxLength = 1024;

    private static readonly string[] BoolValues = ["on", "off", "true", "false", "yes", "no", "1", "0"];

    /// <summary>The one-line problem with <paramref name="value"/> for <paramref name="spec"/> (named as <paramref name="flag"/>); null when valid.</summary>
    public static string? Problem(string flag, SettingSpec spec, string value)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(value);
        var reason = Parse(spec, value, out _);
        return reason is null ? null : $"invalid {flag} {Printable.Quote(value)} ({reason}): {Allowed(spec)}";
    }

    /// <summary>
    /// The value PostgreSQL stores for a valid <paramref name="value"/>: a number in the base unit (rounded as
    /// PostgreSQL rounds integers), an enum or bool value in canonical spelling; null when invalid.
    /// </summary>
    public static string? Normalize(SettingSpec spec, string value) => Parse(spec, value, out var normalized) is null ? normalized : null;

    /// <summary>Whether pg_settings' <paramref name="setting"/> (in the spec's base unit) is what <paramref name="value"/> asks for.</summary>
    public static bool Matches(SettingSpec spec, string setting, string value)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var wanted = Normalize(spec, value);
        if (wanted is null)
        {
            return false;
        }

        return spec.VarType is SettingSpec.Integer or SettingSpec.Real
            ? decimal.TryParse(setting, NumberStyles.Float, CultureInfo.InvariantCulture, out var actual) && decimal.TryParse(wanted, NumberStyles.Float, CultureInfo.InvariantCulture, out var asked) && actual == asked
            : string.Equals(setting, wanted, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What <paramref name="spec"/> accepts, for an error message.</summary>
    public static string Allowed(SettingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var unit = spec.Unit is { } u ? SettingUnits.OfBase(u) : null;
        return spec.VarType switch
        {
            SettingSpec.Enum => $"{spec.Name} is one of {string.Join(", ", spec.EnumValues)}",
            SettingSpec.Bool => $"{spec.Name} is on or off",
            SettingSpec.Text => $"{spec.Name} is text without quotes, backslashes, control characters or surrounding spaces",
            _ when unit is { IsMemory: true } => $"{spec.Name} is a size such as 8MB ({SettingUnits.MemoryNames}){Range(spec, unit.Value)}",
            _ when unit is { IsMemory: false } => $"{spec.Name} is a duration such as 500ms ({SettingUnits.TimeNames}; a plain number is in {spec.Unit}){Range(spec, unit.Value)}",
            SettingSpec.Integer => $"{spec.Name} is a whole number{Range(spec, null)}",
            _ => $"{spec.Name} is a number{Range(spec, null)}",
        };
    }

    private static string Range(SettingSpec spec, (bool IsMemory, decimal Size, string Name)? unit)
    {
        // A bound in a base unit with a multiplier (shared_buffers' 8kB) is shown in the plain unit: 16 x 8kB = 128kB.
        string Show(decimal bound) => unit is { } u
            ? (bound * u.Size / SettingUnits.Size(u.IsMemory, u.Name)!.Value).ToString("0.###", CultureInfo.InvariantCulture) + u.Name
            : bound.ToString("0.###", CultureInfo.InvariantCulture);

        return (spec.Min, spec.Max) switch
        {
            ({ } min, { } max) => $" from {Show(min)} to {Show(max)}",
            ({ } min, null) => $" of at least {Show(min)}",
            (null, { } max) => $" of at most {Show(max)}",
            _ => string.Empty,
        };
    }

    /// <summary>Null when valid (with the stored form in <paramref name="normalized"/>), else why not.</summary>
    private static string? Parse(SettingSpec spec, string value, out string normalized)
    {
        normalized = value;
        if (value.Length == 0)
        {
            return "empty";
        }

        if (value.Length > MaxLength)
        {
            return $"longer than {MaxLength} characters";
        }

        if (value.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085'))
        {
            return "a control character";
        }

        if (value.Any(c => c is '\'' or '"' or '\\'))
        {
            return "a quote or backslash";
        }

        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            return "leading or trailing space";
        }

        switch (spec.VarType)
        {
            case SettingSpec.Enum:
                var choice = spec.EnumValues.FirstOrDefault(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase));
                normalized = choice ?? value;
                return choice is null ? "not one of the values" : null;
            case SettingSpec.Bool:
                normalized = value.ToLowerInvariant() is "on" or "true" or "yes" or "1" ? "on" : "off";
                return BoolValues.Contains(value, StringComparer.OrdinalIgnoreCase) ? null : "not a boolean";
            case SettingSpec.Integer or SettingSpec.Real:
                return ParseNumber(spec, value, out normalized);
            default:
                return null;
        }
    }

    private static string? ParseNumber(SettingSpec spec, string value, out string normalized)
    {
        normalized = value;
        var match = Number().Match(value);
        if (!match.Success)
        {
            return "not a number";
        }

        var baseUnit = spec.Unit is { } u ? SettingUnits.OfBase(u) : null;
        var unit = match.Groups[2].Value;
        decimal factor = 1;
        if (unit.Length > 0)
        {
            if (baseUnit is null)
            {
                return $"{spec.Name} takes no unit";
            }

            if (SettingUnits.Size(baseUnit.Value.IsMemory, unit) is not { } size)
            {
                return $"unknown unit '{unit}'";
            }

            factor = size / baseUnit.Value.Size;
        }

        // Digits beyond decimal's 28 are out of every range PostgreSQL has.
        if (match.Groups[1].Length > 28 || !decimal.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return "out of range";
        }

        decimal amount;
        try
        {
            amount = number * factor;
        }
        catch (OverflowException)
        {
            return "out of range";
        }

        if (spec.VarType == SettingSpec.Integer)
        {
            // PostgreSQL rounds a fractional or converted integer (rint: halves to even).
            amount = Math.Round(amount, MidpointRounding.ToEven);
        }

        if ((spec.Min is { } min && amount < min) || (spec.Max is { } max && amount > max))
        {
            return "out of range";
        }

        normalized = amount.ToString(spec.VarType == SettingSpec.Integer ? "0" : "0.############", CultureInfo.InvariantCulture);
        return null;
    }

    [GeneratedRegex(@"\A(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))([A-Za-z]*)\z")]
    private static partial Regex Number();
}
