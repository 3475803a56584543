using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Scale;

/// <summary>`hangar scale count N -a CLUSTER`: flyctl's verb, here for a Postgres cluster's nodes (replicas added or removed; the leader stays).</summary>
internal static class ScaleCommand
{
    public static Command Create()
    {
        var count = new Argument<int>("count") { Description = "Nodes the cluster should have (1-5)" };
        var app = GlobalOptions.App();
        var scale = new Command("count", "Add or remove replicas until the cluster has COUNT nodes").With(count, app, GlobalOptions.Yes).Runs(async (context, ct) =>
        {
            var status = await context.Client.ScalePostgresAsync(context.Get(app), context.Get(count), ct);
            context.Out.Write(status, s => Output.Line($"Cluster {s.Cluster.Name} has {s.Nodes.Count} node(s); leader {s.Leader ?? "none"}"));
            return 0;
        });
        return new Command("scale", "Scale a Postgres cluster's node count").With(scale);
    }
}
