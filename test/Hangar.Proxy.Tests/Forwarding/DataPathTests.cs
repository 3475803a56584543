using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Hangar.Proxy.Tests.TestSupport;
using Xunit.Abstractions;

namespace Hangar.Proxy.Tests.Forwarding;

public sealed class DataPathTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Large_payloads_are_copied_intact_both_ways()
    {
        await using var cluster = await TestCluster.StartAsync(output, nodeCount: 1, leader: 0);
        using var client = await cluster.ConnectAsync();
        Assert.Equal("db-1", await client.ReadGreetingAsync());

        var payload = RandomNumberGenerator.GetBytes(24 * 1024 * 1024);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // Send in uneven slices while reading concurrently, so both pumps are busy at once and the
        // echo never stalls on a full window.
        var sending = Task.Run(async () =>
        {
            var offset = 0;
            var slice = 1;
            while (offset < payload.Length)
            {
                var count = Math.Min(slice, payload.Length - offset);
                await client.Socket.SendAsync(payload.AsMemory(offset, count), cts.Token);
                offset += count;
                slice = slice * 7 % 200_003 + 1;
            }
        });

        var received = new byte[payload.Length];
        var done = 0;
        while (done < received.Length)
        {
            var read = await client.Socket.ReceiveAsync(received.AsMemory(done), cts.Token);
            Assert.NotEqual(0, read);
            done += read;
        }

        await sending;
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received));
        Assert.Equal(1, cluster[0].Backend.Accepted);
    }

    [Fact]
    public async Task Half_close_from_the_client_reaches_the_server_and_its_reply_still_comes_back()
    {
        await using var cluster = await TestCluster.StartAsync(output, nodeCount: 1, leader: 0);
        using var client = await cluster.ConnectAsync();
        Assert.Equal("db-1", await client.ReadGreetingAsync());

        await client.SendAsync("last words");
        client.Socket.Shutdown(SocketShutdown.Send);

        // The backend only says BYE after it has seen end-of-stream; the proxy must pass the FIN on
        // and keep the other direction open for the reply.
        Assert.Equal("last wordsBYE", await client.ReadToEndAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, cluster[0].Backend.EndOfStreams);
        await Eventually.TrueAsync(() => cluster.Proxy.Registry.Count == 0, TimeSpan.FromSeconds(5), "the connection to be released");
    }

    [Fact]
    public async Task Many_concurrent_connections_each_get_their_own_bytes()
    {
        await using var cluster = await TestCluster.StartAsync(output, nodeCount: 1, leader: 0);
        await cluster.WaitForLeaderAsync("db-1");
        await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var client = await cluster.ConnectAsync();
            Assert.Equal("db-1", await client.ReadGreetingAsync());
            for (var round = 0; round < 20; round++)
            {
                var message = $"c{i:00}r{round:00}";
                await client.SendAsync(message);
                Assert.Equal(message, await client.ReadExactlyAsync(Encoding.ASCII.GetByteCount(message)));
            }
        }));
        Assert.Equal(50, cluster[0].Backend.Accepted);
        await Eventually.TrueAsync(() => cluster.Proxy.Registry.Count == 0, TimeSpan.FromSeconds(5), "all connections to be released");
    }
}
