using System.Text;
using Hangar.Core.Errors;

namespace Hangar.Cli.Commands.Secrets;

/// <summary>
/// The dotenv format `secrets import` reads: NAME=VALUE lines, optional "export ", # comments, 'single' quotes taken
/// literally, "double" quotes with \n \" \\ escapes that may span lines.
/// </summary>
internal static class DotEnv
{
    public static Dictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var eq = line.IndexOf('=');
            if (eq <= 0)
            {
                throw HangarException.Invalid($"invalid line {i + 1} in dotenv input: expected NAME=VALUE");
            }

            var name = line[..eq].Trim();
            var value = line[(eq + 1)..].TrimStart();
            if (value.StartsWith('"'))
            {
                var body = new StringBuilder(value[1..]);
                while (!EndsWithUnescapedQuote(body.ToString()))
                {
                    if (++i >= lines.Length)
                    {
                        throw HangarException.Invalid($"unterminated double quote in the value of {name}");
                    }

                    body.Append('\n').Append(lines[i]);
                }

                var raw = body.ToString().TrimEnd();
                value = Unescape(raw[..^1]);
            }
            else if (value.StartsWith('\'') && value.Length >= 2 && value.EndsWith('\''))
            {
                value = value[1..^1];
            }
            else
            {
                var comment = value.IndexOf(" #", StringComparison.Ordinal);
                value = (comment >= 0 ? value[..comment] : value).TrimEnd();
            }

            values[name] = value;
        }

        return values;
    }

    private static bool EndsWithUnescapedQuote(string text)
    {
        var trimmed = text.TrimEnd();
        if (!trimmed.EndsWith('"'))
        {
            return false;
        }

        var backslashes = 0;
        for (var j = trimmed.Length - 2; j >= 0 && trimmed[j] == '\\'; j--)
        {
            backslashes++;
        }

        return backslashes % 2 == 0;
    }

    private static string Unescape(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                builder.Append(text[i] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', var other => other });
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }
}
