namespace Hangar.ObjectStore.Admin;

/// <summary>Error body of the admin API; <see cref="Code"/> is one of Hangar.Core's ErrorCodes.</summary>
public sealed record AdminError(string Code, string Detail);
