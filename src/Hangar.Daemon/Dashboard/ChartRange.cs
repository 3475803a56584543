namespace Hangar.Daemon.Dashboard;

/// <summary>A chart's time window (1h, 24h, 7d) with a step giving about 240 points, and a rate window that always spans several scrapes.</summary>
internal sealed record ChartRange(string Name, TimeSpan Duration, TimeSpan Step)
{
    public static readonly IReadOnlyList<ChartRange> All =
    [
        new("1h", TimeSpan.FromHours(1), TimeSpan.FromSeconds(15)),
        new("24h", TimeSpan.FromHours(24), TimeSpan.FromMinutes(6)),
        new("7d", TimeSpan.FromDays(7), TimeSpan.FromMinutes(42)),
    ];

    /// <summary>The range named <paramref name="name"/>; anything else (absent, unknown) is the first, 1h.</summary>
    public static ChartRange Parse(string? name) => All.FirstOrDefault(r => r.Name == name) ?? All[0];

    /// <summary>For rate(): at least a minute and four steps, so a 15 s scrape interval always gives it two samples.</summary>
    public string RateWindow => $"{(int)Math.Max(60, Step.TotalSeconds * 4)}s";
}
