using System.CommandLine;
using Hangar.Client;
using Hangar.Core.Errors;

namespace Hangar.Cli.Infrastructure;

internal static class CommandExtensions
{
    /// <summary>Every action goes through here: one context, errors left to <see cref="CliApp"/>.</summary>
    public static Command Runs(this Command command, Func<CliContext, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parse, ct) =>
        {
            using var context = new CliContext(parse);
            try
            {
                return await action(context, ct);
            }
            catch (HangarApiException ex) when (ex.Code == ErrorCodes.NotFound && context.Config is { FromUserFile: true } config)
            {
                // With two daemons on a host the user file may name another one than the user thinks of.
                throw new HangarApiException(ex.Code, $"{ex.Message} ({config.Describe()})", ex.Status);
            }
        });
        return command;
    }

    public static Command With(this Command command, params Symbol[] symbols)
    {
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Command sub:
                    command.Subcommands.Add(sub);
                    break;
            }
        }

        return command;
    }
}
