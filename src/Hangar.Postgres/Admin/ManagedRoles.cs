namespace Hangar.Postgres.Admin;

/// <summary>
/// The roles of `mpg users` (Fly's three). Each is a NOLOGIN group role (<c>hangar_ROLE</c>) holding the grants in
/// every database; a user is a login role that is a member of exactly one, so a role change is a change of membership.
/// writer is a member of reader and schema_admin of writer: each may do what the one below it may.
/// </summary>
public static class ManagedRoles
{
    public const string SchemaAdmin = "schema_admin";
    public const string Writer = "writer";
    public const string Reader = "reader";
    public const string Allowed = "schema_admin, writer or reader";

    /// <summary>The comment that marks a role made by `mpg users create`: only such roles are changed or deleted.</summary>
    public const string UserComment = "hangar user";

    /// <summary>Extensions a database owner or schema_admin may create without superuser (through pgextwlist).</summary>
    public const string OwnerExtensions =
        "postgis,postgis_raster,postgis_topology,postgis_sfcgal,postgis_tiger_geocoder,address_standardizer,address_standardizer_data_us,fuzzystrmatch,pg_stat_statements";

    public static IReadOnlyList<string> All { get; } = [SchemaAdmin, Writer, Reader];

    public static string GroupOf(string role) => "hangar_" + role;

    public static string? Problem(string? role) =>
        role is not null && All.Contains(role, StringComparer.Ordinal) ? null : $"invalid role '{role}': {Allowed}";
}
