namespace Hangar.Client.Models;

/// <summary>What `mpg create` prints once: the superuser's password is not retrievable later (only through `connect`).</summary>
public sealed record MpgCreated(MpgInfo Cluster, string Username, string Password, string PooledUrl, string DirectUrl)
{
    public override string ToString() => $"MpgCreated {{ Cluster = {Cluster.Name}, Username = {Username} }}";
}
