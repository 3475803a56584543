namespace Hangar.Proxy.Configuration;

/// <summary>One node in <see cref="ProxyConfigDocument"/>.</summary>
public sealed class ProxyNodeDocument
{
    public string? Name { get; set; }

    public string? Host { get; set; }

    public int? Port { get; set; }

    public string? PatroniUrl { get; set; }
}
