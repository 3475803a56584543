using System.CommandLine;
using Hangar.Client;
using Hangar.Core.Errors;

namespace Hangar.Cli.Infrastructure;

/// <summary>What a command's action needs: the parse result, the output, and (lazily) the API client.</summary>
internal sealed class CliContext(ParseResult parse) : IDisposable
{
    private HangarClient? _client;

    public ParseResult Parse { get; } = parse;

    public Output Out { get; } = new(parse.GetValue(GlobalOptions.Json));

    public bool Json => Out.Json;

    public HangarClient Client => _client ??= new HangarClient(Config = ClientConfig.Discover()
        ?? throw new HangarException(ErrorCodes.FailedPrecondition,
            "no Hangar client config found: start the daemon with `hangar up`, or set HANGAR_DATA_DIR, or HANGAR_API_URL and HANGAR_API_TOKEN"));

    /// <summary>The config the client was made from; null until a command first talks to the daemon.</summary>
    public ClientConfig? Config { get; private set; }

    public T Get<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Get<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    /// <summary>Asks on a TTY; elsewhere a missing --yes is an error, never a silent yes.</summary>
    public void Confirm(bool yes, string question, string refusal)
    {
        if (yes)
        {
            return;
        }

        if (Console.IsInputRedirected || Console.IsOutputRedirected)
        {
            throw HangarException.Precondition(refusal + ": pass --yes to confirm");
        }

        if (!Spectre.Console.AnsiConsole.Confirm(question, defaultValue: false))
        {
            throw HangarException.Precondition("cancelled");
        }
    }

    public void Dispose() => _client?.Dispose();
}
