namespace Hangar.Proxy.Configuration;

/// <summary>One Patroni member: where its PostgreSQL listens and where its REST API answers.</summary>
internal sealed record ProxyNodeConfig(string Name, string Host, int Port, Uri PatroniUrl);
