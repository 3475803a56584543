namespace Hangar.Core.Resources;

/// <summary>
/// A resource attached to an app (a cluster's DATABASE_URL, a Redis REDIS_URL, a bucket's AWS_* keys) and the
/// secrets it set there. Key: /hangar/attachments/APP/KIND:NAME, or KIND:NAME:VARIABLE for a kind that may be
/// attached to one app several times (Postgres). Apps refuse destroy while any exist. This key is the only record
/// of an attachment: it is written with the app's secrets in one transaction, and removed with them.
/// </summary>
public sealed record AttachmentRecord(string App, string Kind, string Name, IReadOnlyList<string> Variables, DateTimeOffset CreatedAt)
{
    /// <summary>The database a Postgres attachment made for the app (kept on detach).</summary>
    public string? Database { get; init; }

    /// <summary>The role a Postgres attachment made for the app; dropped on detach.</summary>
    public string? User { get; init; }

    public string Label => $"{Kind}:{Name}";
}
