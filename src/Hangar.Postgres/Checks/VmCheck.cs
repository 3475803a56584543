using System.Globalization;

namespace Hangar.Postgres.Checks;

/// <summary>
/// The `vm` check: free space on the data volume, load, memory and pressure-stall time, as Fly's postgres
/// image reports them. Reads /proc (rooted at a parameter so tests can feed it files).
/// </summary>
public static class VmCheck
{
    /// <summary>Below this free fraction on the data volume PostgreSQL is close to refusing writes.</summary>
    public const double CriticalFreeFraction = 0.10;
    public const double WarningFreeFraction = 0.20;

    /// <summary>Seconds of the last 60 some task stalled on memory/cpu/io before we warn.</summary>
    public const double WarningStallSeconds = 30;

    public static CheckResult Run(string dataDirectory, string procRoot = "/proc")
    {
        var check = new CheckBuilder("vm");
        AddDisk(check, dataDirectory);
        AddLoad(check, procRoot);
        AddMemory(check, procRoot);
        foreach (var resource in new[] { "memory", "cpu", "io" })
        {
            if (ReadStallSeconds(Path.Combine(procRoot, "pressure", resource)) is { } seconds)
            {
                check.Add(
                    seconds >= WarningStallSeconds ? CheckStatus.Warning : CheckStatus.Passing,
                    string.Create(CultureInfo.InvariantCulture, $"{resource}: {seconds:0.0}s waiting over the last 60s"));
            }
        }

        return check.Build();
    }

    /// <summary>The `vm` check's disk item alone, for a directory that is not a Postgres node's (the platform's data dir).</summary>
    public static CheckResult Disk(string directory)
    {
        var check = new CheckBuilder("vm");
        AddDisk(check, directory);
        return check.Build();
    }

    internal static void AddDisk(CheckBuilder check, string dataDirectory)
    {
        // DriveInfo on Linux statvfs()es the path it is given, i.e. the filesystem holding the data directory.
        var drive = new DriveInfo(dataDirectory);
        var total = drive.TotalSize;
        var free = drive.AvailableFreeSpace;
        var fraction = total > 0 ? (double)free / total : 0;
        var status = DiskStatus(fraction);
        check.Add(status, string.Create(CultureInfo.InvariantCulture, $"{free / 1e9:0.00} GB ({fraction * 100:0.0}%) free space on {dataDirectory}"));
    }

    internal static CheckStatus DiskStatus(double freeFraction) =>
        freeFraction < CriticalFreeFraction ? CheckStatus.Critical
            : freeFraction < WarningFreeFraction ? CheckStatus.Warning
            : CheckStatus.Passing;

    private static void AddLoad(CheckBuilder check, string procRoot)
    {
        var path = Path.Combine(procRoot, "loadavg");
        if (!File.Exists(path))
        {
            return;
        }

        var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            return;
        }

        var five = double.Parse(parts[1], CultureInfo.InvariantCulture);
        // Sustained run queue over twice the cores: queries are waiting for CPU.
        var status = five > 2.0 * Environment.ProcessorCount ? CheckStatus.Warning : CheckStatus.Passing;
        check.Add(status, $"load averages: {parts[0]} {parts[1]} {parts[2]}");
    }

    private static void AddMemory(CheckBuilder check, string procRoot)
    {
        var path = Path.Combine(procRoot, "meminfo");
        if (!File.Exists(path))
        {
            return;
        }

        long? total = null;
        long? available = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                total = ParseKb(line);
            }
            else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                available = ParseKb(line);
            }
        }

        if (total is > 0 && available is { } avail)
        {
            var fraction = (double)avail / total.Value;
            check.Add(
                fraction < 0.05 ? CheckStatus.Warning : CheckStatus.Passing,
                string.Create(CultureInfo.InvariantCulture, $"memory: {avail / 1048576} MB available of {total.Value / 1048576} MB ({fraction * 100:0.0}%)"));
        }
    }

    /// <summary>PSI "some avg60" is the share of the last 60 s in which at least one task stalled.</summary>
    internal static double? ReadStallSeconds(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith("some ", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var field in line.Split(' '))
            {
                if (field.StartsWith("avg60=", StringComparison.Ordinal) &&
                    double.TryParse(field.AsSpan(6), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
                {
                    return percent / 100.0 * 60.0;
                }
            }
        }

        return null;
    }

    private static long? ParseKb(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : null;
    }
}
