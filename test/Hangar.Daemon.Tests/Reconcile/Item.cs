namespace Hangar.Daemon.Tests.Reconcile;

/// <summary>A record of a made-up kind for testing the generic reconciler.</summary>
public sealed record Item(string Name, string Phase = "pending", string? Step = null, DateTimeOffset? StepSince = null, string? Error = null)
{
    public const string Prefix = "/test/items/";

    public static string Key(string name) => Prefix + name;
}
