using System.CommandLine;
using Hangar.Cli.Commands;

namespace Hangar.Cli.Infrastructure;

/// <summary>
/// Builds the command tree and runs it. Failures print one line, "Error: ...", and exit 1;
/// the stack trace only with --verbose (as the dotnet CLI's GracefulException).
/// </summary>
internal static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Hangar: Postgres, object storage, Redis, volumes and secrets on your own machines");
        root.Options.Add(GlobalOptions.Json);
        root.Options.Add(GlobalOptions.Verbose);
        foreach (var command in CommandTree.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine("Error: " + string.Join("; ", parse.Errors.Select(e => e.Message)));
            return 1;
        }

        var verbose = parse.GetValue(GlobalOptions.Verbose);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // `hangar up` handles Ctrl-C through its host; elsewhere the first Ctrl-C cancels the request.
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancel.Token);
        }
        catch (Exception ex)
        {
            var error = Unwrap(ex);
            Console.Error.WriteLine("Error: " + (error is OperationCanceledException ? "cancelled" : OneLine(error.Message)));
            if (verbose)
            {
                Console.Error.WriteLine(error);
            }

            return 1;
        }
    }

    private static Exception Unwrap(Exception ex) => ex is AggregateException { InnerException: { } inner } ? Unwrap(inner) : ex;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
