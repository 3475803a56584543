using System.Diagnostics;
using Xunit;

namespace Hangar.Cli.Tests.Launcher;

/// <summary>
/// The ./hangar launcher and scripts/build-cli.sh on a copy of the repository's layout, with a fake `dotnet` on PATH
/// whose "build" puts a copy of sleep(1) in the output directory: what is tested is the switch between builds, not
/// the compiler (a real CLI build takes a minute).
/// </summary>
public sealed class LauncherTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("hangar-launcher-").FullName;
    private readonly string _buildLog;
    private readonly string _fakeBin;
    private Process? _running;

    public LauncherTests()
    {
        var real = RepoRoot();
        Directory.CreateDirectory(Path.Combine(_repo, "scripts"));
        File.Copy(Path.Combine(real, "hangar"), Path.Combine(_repo, "hangar"));
        File.Copy(Path.Combine(real, "scripts", "build-cli.sh"), Path.Combine(_repo, "scripts", "build-cli.sh"));
        foreach (var file in new[] { "src/Hangar.Cli/Hangar.Cli.csproj", "src/Hangar.Cli/Program.cs", "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_repo, file))!);
            File.WriteAllText(Path.Combine(_repo, file), string.Empty);
            File.SetLastWriteTimeUtc(Path.Combine(_repo, file), DateTime.UtcNow.AddMinutes(-10));
        }

        _buildLog = Path.Combine(_repo, "builds.log");
        _fakeBin = Path.Combine(_repo, "fake-bin");
        Directory.CreateDirectory(_fakeBin);
        File.WriteAllText(Path.Combine(_fakeBin, "dotnet"), """
            #!/bin/sh
            # "dotnet build PROJECT ... -o DIR": a real executable as DIR/hangar and the build's number.
            while [ $# -gt 0 ]; do [ "$1" = "-o" ] && out="$2"; shift; done
            echo build >> "$FAKE_BUILD_LOG"
            mkdir -p "$out" && cp /bin/sleep "$out/hangar" && wc -l < "$FAKE_BUILD_LOG" > "$out/build-number"
            """.Replace("\r", string.Empty, StringComparison.Ordinal));
        File.SetUnixFileMode(Path.Combine(_fakeBin, "dotnet"), (UnixFileMode)0x1ED);
    }

    private string Link => Path.Combine(_repo, ".build", "hangar");

    private int Builds => File.Exists(_buildLog) ? File.ReadAllLines(_buildLog).Length : 0;

    [Fact]
    public async Task A_rebuild_goes_to_a_new_directory_and_never_touches_the_binary_of_a_running_process()
    {
        // An install from before: the build in place, in a real directory.
        Directory.CreateDirectory(Link);
        File.Copy("/bin/true", Path.Combine(Link, "hangar"));
        File.WriteAllText(Path.Combine(Link, ".built"), string.Empty);
        File.SetLastWriteTimeUtc(Path.Combine(Link, ".built"), DateTime.UtcNow.AddMinutes(-20));

        // First run: builds (the sources are newer than the old stamp), and runs from the build.
        _running = Launch("300");
        var firstExe = await ExeOfAsync(_running);
        var first = Path.GetDirectoryName(firstExe)!;
        Assert.Equal(1, Builds);
        Assert.Equal(first, ResolvedLink());
        Assert.StartsWith(Path.Combine(_repo, ".build", "hangar-"), first, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.Combine(_repo, ".build"), "hangar-*-legacy")); // set aside, then removed as unused

        // Outputs under bin/ and obj/ are newer than any build, yet no source: no rebuild.
        Touch("src/Hangar.Cli/obj/Release/net10.0/Hangar.Cli.AssemblyInfo.cs");
        Touch("src/Hangar.Cli/bin/Release/net10.0/Hangar.Cli.dll");
        await RunAsync("0");
        Assert.Equal(1, Builds);

        // A source changes: the next run builds into a new directory and switches the link to it.
        Touch("src/Hangar.Cli/Program.cs");
        await RunAsync("0");
        Assert.Equal(2, Builds);
        var second = ResolvedLink();
        Assert.NotEqual(first, second);
        Assert.Equal("2", File.ReadAllText(Path.Combine(Link, "build-number")).Trim());

        // The running process still runs its own, untouched binary; its build stays while it runs.
        Assert.Equal(firstExe, new FileInfo($"/proc/{_running.Id}/exe").LinkTarget);
        Assert.True(Directory.Exists(first));
        Assert.Equal(await File.ReadAllBytesAsync("/bin/sleep"), await File.ReadAllBytesAsync($"/proc/{_running.Id}/exe"));

        // Once nothing runs from it, the next run removes it (and builds nothing).
        _running.Kill();
        await _running.WaitForExitAsync();
        await RunAsync("0");
        Assert.False(Directory.Exists(first), "an unused old build is removed");
        Assert.True(Directory.Exists(second));
        Assert.Equal(2, Builds);
    }

    public void Dispose()
    {
        if (_running is { HasExited: false })
        {
            _running.Kill();
            _running.WaitForExit();
        }

        _running?.Dispose();
        Directory.Delete(_repo, recursive: true);
    }

    private static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Hangar.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("repo root not found");
    }

    private static async Task<string> ExeOfAsync(Process process)
    {
        // bash execs the build's binary in the same process: wait for the exec.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Assert.False(process.HasExited, "the launcher exited");
            var exe = new FileInfo($"/proc/{process.Id}/exe").LinkTarget;
            if (exe is not null && exe.EndsWith("/hangar", StringComparison.Ordinal))
            {
                return exe;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the launcher did not exec the build (exe {exe})");
            await Task.Delay(20);
        }
    }

    private void Touch(string relative)
    {
        var path = Path.Combine(_repo, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "changed");
    }

    private string ResolvedLink() => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Link)!, new FileInfo(Link).LinkTarget!));

    private Process Launch(string argument)
    {
        var start = new ProcessStartInfo("/bin/bash") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(_repo, "hangar"));
        start.ArgumentList.Add(argument);
        start.Environment["PATH"] = _fakeBin + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["FAKE_BUILD_LOG"] = _buildLog;
        return Process.Start(start)!;
    }

    private async Task RunAsync(string argument)
    {
        using var process = Launch(argument);
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"./hangar {argument} exited {process.ExitCode}: {error}");
    }
}
