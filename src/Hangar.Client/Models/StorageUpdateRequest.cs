namespace Hangar.Client.Models;

/// <summary>`storage update`: null leaves a setting as it is; an empty document name removes it.</summary>
public sealed record StorageUpdateRequest(bool? Public, string? IndexDocument, string? ErrorDocument);
