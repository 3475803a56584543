using System.Globalization;
using System.Text;

namespace Hangar.Core.Errors;

/// <summary>
/// A user's value as it may appear inside a one-line error: control characters escaped (a newline shows as \n),
/// and a long value cut, so an error about a bad value is never itself broken or flooded by it.
/// </summary>
public static class Printable
{
    // Long enough to show any name a user typed past its 63-character limit whole; a flood is still cut.
    public const int MaxShown = 128;

    /// <summary>The value in single quotes, escaped and cut at <see cref="MaxShown"/> characters.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder("'");
        foreach (var c in value.Length > MaxShown ? value[..MaxShown] : value)
        {
            _ = c switch
            {
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                '\\' => text.Append("\\\\"),
                _ when char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' => text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        text.Append('\'');
        return value.Length > MaxShown ? text.Append(CultureInfo.InvariantCulture, $"... ({value.Length} characters)").ToString() : text.ToString();
    }
}
