namespace Hangar.Postgres.Settings;

/// <summary>What PostgreSQL accepts for one parameter, as its pg_settings row describes it.</summary>
/// <param name="VarType">bool, integer, real, string or enum (pg_settings.vartype).</param>
/// <param name="Unit">The base unit of an integer or real parameter (8kB, kB, MB, ms, s, min), null when it has none.</param>
/// <param name="Min">Smallest value in <paramref name="Unit"/>; null when PostgreSQL sets none.</param>
/// <param name="Max">Largest value in <paramref name="Unit"/>; null when PostgreSQL sets none.</param>
/// <param name="EnumValues">The values of an enum parameter (pg_settings.enumvals).</param>
/// <param name="NeedsRestart">pg_settings.context is postmaster: a new value takes a restart.</param>
public sealed record SettingSpec(string Name, string VarType, string? Unit, decimal? Min, decimal? Max, IReadOnlyList<string> EnumValues, bool NeedsRestart)
{
    public const string Bool = "bool";
    public const string Integer = "integer";
    public const string Real = "real";
    public const string Text = "string";
    public const string Enum = "enum";
}
