using System.CommandLine;
using Hangar.Cli.Infrastructure;
using Hangar.Client;
using Hangar.Core.Errors;

namespace Hangar.Cli.Commands.Auth;

internal static class AuthCommand
{
    public static Command Create()
    {
        var token = new Command("token", "Print the API token the CLI uses").Runs((context, _) =>
        {
            var config = ClientConfig.Discover() ?? throw new HangarException(ErrorCodes.FailedPrecondition, "no Hangar client config found: start the daemon with `hangar up`");
            context.Out.Write(new { token = config.Token, apiUrl = config.ApiUrl }, t => Output.Line(t.token));
            return Task.FromResult(0);
        });
        return new Command("auth", "Manage authentication").With(token);
    }
}
