using Hangar.Daemon.Dashboard;
using Hangar.Daemon.Security;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Hangar.Daemon.Tests.Dashboard;

public sealed class DashboardSessionsTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly DashboardSessions _sessions;

    public DashboardSessionsTests() => _sessions = new DashboardSessions(new ApiToken("hgr_right"), _time);

    [Fact]
    public void OnlyTheApiTokenLogsIn()
    {
        Assert.Null(_sessions.LoginWithToken("hgr_wrong"));
        Assert.Null(_sessions.LoginWithToken(null));
        Assert.Null(_sessions.LoginWithToken(string.Empty));
        var (id, session) = _sessions.LoginWithToken("hgr_right")!.Value;
        Assert.Same(session, _sessions.Find(id));
        Assert.Null(_sessions.Find(id + "x"));
    }

    [Fact]
    public void ASessionExpires_AndEndsOnLogout()
    {
        var (id, _) = _sessions.LoginWithToken("hgr_right")!.Value;
        _time.Advance(DashboardSessions.SessionLifetime - TimeSpan.FromSeconds(1));
        Assert.NotNull(_sessions.Find(id));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_sessions.Find(id));

        var (other, _) = _sessions.LoginWithToken("hgr_right")!.Value;
        _sessions.End(other);
        Assert.Null(_sessions.Find(other));
    }

    [Fact]
    public void ALoginCodeWorksOnce_AndNotAfterItsLifetime()
    {
        var code = _sessions.NewCode();
        Assert.NotNull(_sessions.LoginWithCode(code));
        Assert.Null(_sessions.LoginWithCode(code));

        var late = _sessions.NewCode();
        _time.Advance(DashboardSessions.CodeLifetime);
        Assert.Null(_sessions.LoginWithCode(late));
        Assert.Null(_sessions.LoginWithCode(null));
    }

    [Fact]
    public void EachSessionHasItsOwnCsrfToken()
    {
        var (_, a) = _sessions.LoginWithToken("hgr_right")!.Value;
        var (_, b) = _sessions.LoginWithToken("hgr_right")!.Value;
        Assert.NotEqual(a.Csrf, b.Csrf);
        Assert.True(DashboardSessions.CsrfMatches(a, a.Csrf));
        Assert.False(DashboardSessions.CsrfMatches(a, b.Csrf));
        Assert.False(DashboardSessions.CsrfMatches(a, null));
        Assert.False(DashboardSessions.CsrfMatches(a, string.Empty));
    }
}
