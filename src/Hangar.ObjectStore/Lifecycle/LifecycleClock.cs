namespace Hangar.ObjectStore.Lifecycle;

/// <summary>
/// S3's lifecycle arithmetic: an object expires Days after its creation, rounded up to the next midnight UTC.
/// <see cref="Day"/> is one day except in tests, which shrink it (HANGAR_S3_LIFECYCLE_DAY_SECONDS) so a
/// real rule expires within seconds; days then count from the Unix epoch as midnights do.
/// </summary>
internal sealed record LifecycleClock(TimeSpan Day)
{
    public static readonly LifecycleClock Standard = new(TimeSpan.FromDays(1));

    /// <summary>The first day boundary at or after <paramref name="from"/> + <paramref name="days"/> days.</summary>
    public DateTimeOffset After(DateTimeOffset from, int days)
    {
        var ticks = from.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks + (days * Day.Ticks);
        var rounded = (ticks + Day.Ticks - 1) / Day.Ticks * Day.Ticks;
        return DateTimeOffset.UnixEpoch.AddTicks(rounded);
    }
}
