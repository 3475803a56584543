using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Hangar.Daemon.Security;

namespace Hangar.Daemon.Dashboard;

/// <summary>
/// Dashboard sessions and one-time login codes, in the daemon's memory only: a restarted daemon forgets them and the
/// browser logs in again (with the API token, or a fresh `hangar dashboard` link). A session holds its own CSRF token,
/// which every state-changing form carries back. Ids and codes are 256-bit random values; only their SHA-256 is kept,
/// so a heap dump does not hand out live sessions.
/// </summary>
internal sealed class DashboardSessions(ApiToken token, TimeProvider time)
{
    public const string CookieName = "hangar_session";
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _codes = new(StringComparer.Ordinal);

    public sealed record Session(string Csrf, DateTimeOffset ExpiresAt);

    /// <summary>A new session when <paramref name="presented"/> is the API token; null otherwise.</summary>
    public (string Id, Session Session)? LoginWithToken(string? presented) => token.Matches(presented?.Trim()) ? Create() : null;

    /// <summary>A one-time code for `hangar dashboard`'s login link (the caller already proved the API token).</summary>
    public string NewCode()
    {
        Sweep();
        var code = Random();
        _codes[Digest(code)] = time.GetUtcNow() + CodeLifetime;
        return code;
    }

    /// <summary>A new session for an unused, unexpired code, which is spent either way.</summary>
    public (string Id, Session Session)? LoginWithCode(string? code) =>
        code is { Length: > 0 } && _codes.TryRemove(Digest(code), out var expires) && expires > time.GetUtcNow() ? Create() : null;

    public Session? Find(string? id)
    {
        if (id is not { Length: > 0 } || !_sessions.TryGetValue(Digest(id), out var session))
        {
            return null;
        }

        if (session.ExpiresAt <= time.GetUtcNow())
        {
            _sessions.TryRemove(Digest(id), out _);
            return null;
        }

        return session;
    }

    public void End(string? id)
    {
        if (id is { Length: > 0 })
        {
            _sessions.TryRemove(Digest(id), out _);
        }
    }

    public static bool CsrfMatches(Session session, string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(session.Csrf), Encoding.UTF8.GetBytes(presented));

    private (string, Session) Create()
    {
        Sweep();
        var id = Random();
        var session = new Session(Random(), time.GetUtcNow() + SessionLifetime);
        _sessions[Digest(id)] = session;
        return (id, session);
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, session) in _sessions)
        {
            if (session.ExpiresAt <= now)
            {
                _sessions.TryRemove(key, out _);
            }
        }

        foreach (var (key, expires) in _codes)
        {
            if (expires <= now)
            {
                _codes.TryRemove(key, out _);
            }
        }
    }

    private static string Random() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Digest(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
