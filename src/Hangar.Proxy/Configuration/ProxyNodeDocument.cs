namespace Hangar.Proxy.Configuration;

internal sealed class ProxyNodeDocument
{
    public string? Name { get; set; }

    public string? Host { get; set; }

    public int? Port { get; set; }

    public string? PatroniUrl { get; set; }
}
