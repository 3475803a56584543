using Hangar.Daemon.Logging;
using Hangar.Testing;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Hangar.Daemon.Tests.Logging;

public sealed class FileLoggerProviderTests
{
    [Fact]
    public void A_full_disk_drops_lines_without_throwing_and_the_count_is_reported_once_space_is_back()
    {
        using var tmpfs = TmpfsMount.Create(1);
        var path = Path.Combine(tmpfs.Path, "logs", "daemon.log");
        using var provider = new FileLoggerProvider(path);
        var logger = provider.CreateLogger("Hangar.Daemon.Test");
        logger.LogInformation("before the disk filled");
        var ballast = tmpfs.Fill();

        // Enough lines to need new blocks: every one would have thrown into the request that logged it.
        var line = new string('x', 2000);
        for (var i = 0; i < 50; i++)
        {
            logger.LogWarning("line {Number} {Padding}", i, line);
        }

        Assert.True(provider.Dropped > 0, "no line was dropped on a full disk");
        File.Delete(ballast);
        logger.LogInformation("after space was freed");

        var text = File.ReadAllText(path);
        Assert.Contains("before the disk filled", text, StringComparison.Ordinal);
        Assert.Contains("after space was freed", text, StringComparison.Ordinal);
        Assert.Matches(@"warn FileLoggerProvider: \d+ log lines were dropped because .*daemon\.log could not be written", text);
        Assert.Equal(0, provider.Dropped);
        // Each line once: a failed write is not replayed from the old writer's buffer.
        Assert.Single(text.Split('\n'), l => l.Contains("after space was freed", StringComparison.Ordinal));
    }
}
