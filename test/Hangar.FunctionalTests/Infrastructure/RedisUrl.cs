using Hangar.Redis.Resp;
using Xunit;

namespace Hangar.FunctionalTests.Infrastructure;

/// <summary>A redis://USER:PASS@HOST:PORT URL as Hangar hands it out, and connections made from it.</summary>
public sealed record RedisUrl(string User, string Password, string Host, int Port)
{
    public static RedisUrl Parse(string url)
    {
        var uri = new Uri(url);
        Assert.Equal("redis", uri.Scheme);
        var (user, password) = uri.UserInfo.Split(':', 2) switch { [var u, var p] => (u, p), _ => throw new FormatException(url) };
        return new RedisUrl(user, password, uri.Host, uri.Port);
    }

    public Task<RespConnection> OpenAsync() => RespConnection.OpenAsync(Host, Port, User, Password, CancellationToken.None);
}
