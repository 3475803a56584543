using System.Diagnostics.CodeAnalysis;

namespace Hangar.Proxy.Configuration;

/// <summary>Either a valid config or every problem found in the file; a bad reload is an expected outcome, not an exception.</summary>
internal sealed record ProxyConfigResult(ProxyConfig? Config, IReadOnlyList<string> Problems)
{
    [MemberNotNullWhen(true, nameof(Config))]
    public bool IsValid => Config is not null;

    public static ProxyConfigResult Valid(ProxyConfig config) => new(config, []);

    public static ProxyConfigResult Invalid(IReadOnlyList<string> problems) => new(null, problems);
}
