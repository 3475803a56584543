namespace Hangar.Daemon.Dashboard;

/// <summary>One chart of a page: its PromQL, the label that names each line, how values read, and a note under it.</summary>
internal sealed record ChartSpec(string Title, string Query, string? SeriesLabel, Func<double, string> Format, string? Note = null);
