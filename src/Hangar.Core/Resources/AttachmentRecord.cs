namespace Hangar.Core.Resources;

/// <summary>
/// A resource attached to an app (a cluster's DATABASE_URL, a Redis REDIS_URL, a bucket's AWS_* keys) and the
/// secrets it set there. Key: /hangar/attachments/APP/KIND:NAME, or KIND:NAME:VARIABLE for a kind that may be
/// attached to one app several times (Postgres). Apps refuse destroy while any exist.
/// </summary>
public sealed record AttachmentRecord(string App, string Kind, string Name, IReadOnlyList<string> Variables, DateTimeOffset CreatedAt)
{
    public string Label => $"{Kind}:{Name}";
}
