using System.Text.Json;
using Hangar.Client;
using Spectre.Console;

namespace Hangar.Cli.Infrastructure;

/// <summary>Tables for people, JSON (--json) for scripts; the same data either way.</summary>
internal sealed class Output(bool json)
{
    private static readonly JsonSerializerOptions Indented = new(HangarClient.Json) { WriteIndented = true };

    static Output()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = 200;
        }
    }

    public bool Json { get; } = json;

    public void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Indented));

    /// <summary>Prints <paramref name="value"/> as JSON, or runs <paramref name="human"/> for a table.</summary>
    public void Write<T>(T value, Action<T> human)
    {
        if (Json)
        {
            WriteJson(value);
        }
        else
        {
            human(value);
        }
    }

    public static void Table(IEnumerable<string> headers, IEnumerable<IEnumerable<string?>> rows)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(header.ToUpperInvariant()).NoWrap());
        }

        foreach (var row in rows)
        {
            table.AddRow([.. row.Select(c => new Text(c ?? string.Empty))]);
        }

        AnsiConsole.Write(table);
    }

    /// <summary>Key: value lines, as flyctl's `show` commands print.</summary>
    public static void Fields(params (string Name, string? Value)[] fields)
    {
        var width = fields.Max(f => f.Name.Length);
        foreach (var (name, value) in fields)
        {
            Console.Out.WriteLine($"{name.PadLeft(width)}: {value}");
        }
    }

    public static void Line(string text) => Console.Out.WriteLine(text);

    public static string Ago(DateTimeOffset when)
    {
        var age = DateTimeOffset.UtcNow - when;
        return age.TotalMinutes < 1 ? "just now"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes}m ago"
            : age.TotalDays < 1 ? $"{(int)age.TotalHours}h ago"
            : $"{(int)age.TotalDays}d ago";
    }

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.#} MiB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.##} GiB",
    };
}
