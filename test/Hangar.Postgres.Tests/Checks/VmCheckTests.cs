using Hangar.Postgres.Checks;

namespace Hangar.Postgres.Tests.Checks;

public sealed class VmCheckTests : IDisposable
{
    private readonly string _proc = Directory.CreateTempSubdirectory("hangar-proc-").FullName;

    [Fact]
    public void Reads_load_memory_and_pressure_like_fly()
    {
        Write("loadavg", "0.29 0.35 0.50 1/87 7741\n");
        Write("meminfo", "MemTotal:       1048576 kB\nMemFree:  1 kB\nMemAvailable:    524288 kB\n");
        Write("pressure/memory", "some avg10=0.00 avg60=1.50 avg300=0.00 total=1\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        Write("pressure/cpu", "some avg10=90.00 avg60=80.00 avg300=10.00 total=1\n");
        var result = VmCheck.Run(Path.GetTempPath(), _proc);
        Assert.Contains("[✓] load averages: 0.29 0.35 0.50", result.Output, StringComparison.Ordinal);
        Assert.Contains("[✓] memory: 512 MB available of 1024 MB (50.0%)", result.Output, StringComparison.Ordinal);
        Assert.Contains("[✓] memory: 0.9s waiting over the last 60s", result.Output, StringComparison.Ordinal);
        // 80% of the last minute stalled on CPU: 48 s, over the warning threshold.
        Assert.Contains("[✗] cpu: 48.0s waiting over the last 60s", result.Output, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Warning, result.Status);
    }

    [Fact]
    public void Low_memory_and_overload_warn()
    {
        Write("loadavg", $"{Environment.ProcessorCount * 3} {Environment.ProcessorCount * 3} 1.0 1/87 7741\n");
        Write("meminfo", "MemTotal:       1000000 kB\nMemAvailable:    10000 kB\n");
        var result = VmCheck.Run(Path.GetTempPath(), _proc);
        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Contains("[✗] memory: ", result.Output, StringComparison.Ordinal);
        Assert.Contains("[✗] load averages", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Disk_item_reports_free_space_of_the_data_volume()
    {
        var check = new CheckBuilder("vm");
        VmCheck.AddDisk(check, Path.GetTempPath());
        var result = check.Build();
        Assert.Matches(@"GB \(\d+\.\d%\) free space on ", result.Output);
        var drive = new DriveInfo(Path.GetTempPath());
        Assert.Equal(VmCheck.DiskStatus((double)drive.AvailableFreeSpace / drive.TotalSize), result.Status);
    }

    [Theory]
    [InlineData(0.05, CheckStatus.Critical)]
    [InlineData(0.0999, CheckStatus.Critical)]
    [InlineData(0.15, CheckStatus.Warning)]
    [InlineData(0.5, CheckStatus.Passing)]
    public void Free_space_below_ten_percent_is_critical(double free, CheckStatus expected) =>
        Assert.Equal(expected, VmCheck.DiskStatus(free));

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_proc, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
