using System.Reflection;
using Hangar.Core.Logging;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Hangar.Cli.Tests.Logging;

/// <summary>Every [LoggerMessage] in the product has an id of its own, inside its component's block.</summary>
public sealed class EventIdRegistryTests
{
    // The CLI references every product assembly (the daemon and the servers it hosts), so loading them from here sees all.
    private static readonly Assembly[] Product =
    [
        typeof(Hangar.Cli.Commands.CommandTree).Assembly,
        typeof(Hangar.Daemon.Hosting.DaemonHost).Assembly,
        typeof(Hangar.Supervision.Supervisor).Assembly,
        typeof(Hangar.State.RecordStore).Assembly,
        typeof(Hangar.Postgres.Rest.ClusterHealth).Assembly,
        typeof(Hangar.Proxy.Configuration.ProxyConfigDocument).Assembly,
        typeof(Hangar.ObjectStore.Hosting.S3Server).Assembly,
        typeof(Hangar.Redis.Resp.RespConnection).Assembly,
        typeof(Hangar.Volumes.VolumeDisk).Assembly,
        typeof(Hangar.Core.Logging.EventIdBlocks).Assembly,
    ];

    private static List<(int Id, string Namespace, string Method)> Messages() =>
        [.. Product.Distinct()
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (x.Attribute!.EventId, x.Method.DeclaringType!.Namespace ?? string.Empty, $"{x.Method.DeclaringType!.FullName}.{x.Method.Name}"))];

    [Fact]
    public void The_product_has_log_messages_to_check()
    {
        Assert.True(Messages().Count > 100, $"only {Messages().Count} [LoggerMessage] methods found: an assembly is missing from the list");
    }

    [Fact]
    public void Every_event_id_is_used_once()
    {
        var repeated = Messages().GroupBy(m => m.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();
        Assert.True(repeated.Count == 0, "event ids used twice: " + string.Join("; ", repeated));
    }

    [Fact]
    public void Every_event_id_is_in_its_components_block()
    {
        var outside = Messages().Where(m => EventIdBlocks.For(m.Namespace) is not { } block || !block.Contains(m.Id))
            .Select(m => $"{m.Method} ({m.Id}; block {(EventIdBlocks.For(m.Namespace) is { } b ? $"{b.First}-{b.Last}" : "none")})").ToList();
        Assert.True(outside.Count == 0, "event ids outside their component's block (Hangar.Core/Logging/EventIdBlocks.cs): " + string.Join("; ", outside));
    }

    [Fact]
    public void Blocks_do_not_overlap()
    {
        var blocks = EventIdBlocks.All.OrderBy(b => b.First).ToList();
        for (var i = 1; i < blocks.Count; i++)
        {
            Assert.True(blocks[i].First > blocks[i - 1].Last, $"{blocks[i - 1].Namespace} and {blocks[i].Namespace} overlap");
        }
    }
}
