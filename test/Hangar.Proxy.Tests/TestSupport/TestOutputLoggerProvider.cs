using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Hangar.Proxy.Tests.TestSupport;

/// <summary>Sends the proxy's log to the test's output, so a failing test shows what the proxy decided.</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output);

    public void Dispose()
    {
    }

    public static ILoggerFactory Factory(ITestOutputHelper output) =>
        LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new TestOutputLoggerProvider(output)));
}
