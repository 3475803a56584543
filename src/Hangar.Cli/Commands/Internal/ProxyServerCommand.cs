using System.CommandLine;
using Hangar.Proxy;

namespace Hangar.Cli.Commands.Internal;

/// <summary>
/// `hangar __proxy --config PATH`: the leader-following proxy of one Postgres cluster, started by the daemon's
/// supervisor as its own process so that the data path never runs through the daemon. Hidden: not for users.
/// </summary>
internal static class ProxyServerCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "proxy.json written by the daemon", Required = true };
        var verbose = new Option<bool>("--debug") { Description = "Debug logging" };
        var metricsToken = new Option<string>("--metrics-token-file") { Description = "Serve the proxy's metrics at /metrics (a free port, named in the status file) behind the bearer token in this file" };
        var command = new Command("__proxy", "Run a cluster's leader-following proxy (started by the daemon)") { Hidden = true };
        command.Options.Add(config);
        command.Options.Add(verbose);
        command.Options.Add(metricsToken);
        command.SetAction(async (parse, ct) =>
        {
            List<string> args = ["--config", parse.GetValue(config)!];
            if (parse.GetValue(metricsToken) is { } tokenFile)
            {
                args.AddRange(["--metrics-token-file", tokenFile]);
            }

            if (parse.GetValue(verbose))
            {
                args.Add("--verbose");
            }

            return await ProxyProgram.RunAsync([.. args], ct);
        });
        return command;
    }
}
