namespace Hangar.Daemon.Dashboard;

internal static class PromQl
{
    /// <summary>A label value inside double quotes. Resource names are validated already; this keeps a query whole regardless.</summary>
    public static string Label(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
