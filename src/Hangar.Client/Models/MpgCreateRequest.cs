namespace Hangar.Client.Models;

/// <summary>`mpg create`: a plan (default basic) sizes the cluster and its pool; --volume-size overrides the plan's volume.</summary>
public sealed record MpgCreateRequest
{
    public required string Name { get; init; }

    public string? Plan { get; init; }

    public string? Region { get; init; }

    public int? VolumeSizeGb { get; init; }

    /// <summary>`--enable-postgis-support`: each app database gets PostGIS.</summary>
    public bool EnablePostgis { get; init; }
}
