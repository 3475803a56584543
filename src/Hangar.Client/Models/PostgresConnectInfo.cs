namespace Hangar.Client.Models;

/// <summary>For `postgres connect`: the superuser through the cluster port. Only the admin token reaches this.</summary>
public sealed record PostgresConnectInfo(string Host, int Port, string User, string Password)
{
    public override string ToString() => $"PostgresConnectInfo {{ Host = {Host}, Port = {Port}, User = {User} }}";
}
