using System.Security.Cryptography;
using System.Text.Json;
using Hangar.FunctionalTests.Infrastructure;
using Xunit;

namespace Hangar.FunctionalTests.Volumes;

[Collection(SharedDaemonCollection.Name)]
public sealed class VolumesTests(SharedDaemon shared)
{
    private HangarDaemon Daemon => shared.Daemon;

    [Fact]
    public async Task Create_extend_snapshot_restore_and_fork_keep_content_byte_for_byte()
    {
        var volume = await CreateAsync("data", "--size", "2");
        Assert.Equal(2, volume.GetProperty("sizeGb").GetInt32());
        Assert.Equal("created", volume.GetProperty("phase").GetString());
        var id = volume.GetProperty("id").GetString()!;
        var files = WriteContent(id);

        var extended = Json((await Daemon.RunAsync("volumes", "extend", id, "--size", "5", "--json")).ShouldSucceed());
        Assert.Equal(5, extended.GetProperty("sizeGb").GetInt32());

        var snapshot = Json((await Daemon.RunAsync("volumes", "snapshots", "create", id, "--json")).ShouldSucceed());
        var snapshotId = snapshot.GetProperty("id").GetString()!;
        Assert.StartsWith("vs_", snapshotId, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}$", snapshot.GetProperty("sha256").GetString());
        var listed = JsonDocument.Parse((await Daemon.RunAsync("volumes", "snapshots", "list", id, "--json")).ShouldSucceed().Stdout).RootElement;
        Assert.Contains(listed.EnumerateArray(), s => s.GetProperty("id").GetString() == snapshotId);

        // Change the original after the snapshot: the restore must hold the old bytes.
        await File.WriteAllTextAsync(Path.Combine(VolumePath(id), "after-snapshot.txt"), "later");

        var restored = await CreateAsync("restored", "--snapshot-id", snapshotId);
        Assert.Equal(5, restored.GetProperty("sizeGb").GetInt32());
        AssertSameContent(files, restored.GetProperty("id").GetString()!);
        Assert.False(File.Exists(Path.Combine(VolumePath(restored.GetProperty("id").GetString()!), "after-snapshot.txt")));

        var fork = Json((await Daemon.RunAsync("volumes", "fork", id, "--name", "copy", "--json")).ShouldSucceed());
        Assert.Equal("copy", fork.GetProperty("name").GetString());
        AssertSameContent(files, fork.GetProperty("id").GetString()!);
        Assert.True(File.Exists(Path.Combine(VolumePath(fork.GetProperty("id").GetString()!), "after-snapshot.txt")));

        var used = await Daemon.RunAsync("volumes", "show", id, "--json");
        Assert.Equal(id, Json(used.ShouldSucceed()).GetProperty("id").GetString());

        (await Daemon.RunAsync("volumes", "destroy", fork.GetProperty("id").GetString()!, "--yes")).ShouldSucceed();
        Assert.False(Directory.Exists(VolumePath(fork.GetProperty("id").GetString()!)));
        (await Daemon.RunAsync("volumes", "show", fork.GetProperty("id").GetString()!)).ShouldFailWith("not found");
    }

    [Fact]
    public async Task A_restore_needs_at_least_the_snapshot_size()
    {
        var id = (await CreateAsync("big", "--size", "10")).GetProperty("id").GetString()!;
        var snapshotId = Json((await Daemon.RunAsync("volumes", "snapshots", "create", id, "--json")).ShouldSucceed()).GetProperty("id").GetString()!;
        (await Daemon.RunAsync("volumes", "create", "small", "--size", "3", "--snapshot-id", snapshotId)).ShouldFailWith($"invalid --size 3: snapshot {snapshotId} needs at least 10 GB");
    }

    [Fact]
    public async Task A_corrupt_snapshot_is_refused_and_leaves_no_volume_behind()
    {
        var id = (await CreateAsync("tobreak")).GetProperty("id").GetString()!;
        WriteContent(id);
        var snapshotId = Json((await Daemon.RunAsync("volumes", "snapshots", "create", id, "--json")).ShouldSucceed()).GetProperty("id").GetString()!;
        var archive = Path.Combine(Daemon.DataDir, "snapshots", snapshotId + ".tar.gz");
        var bytes = await File.ReadAllBytesAsync(archive);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(archive, bytes);

        var before = Directory.GetDirectories(Path.Combine(Daemon.DataDir, "volumes")).Length;
        (await Daemon.RunAsync("volumes", "create", "fromcorrupt", "--snapshot-id", snapshotId)).ShouldFailWith($"snapshot {snapshotId} is corrupt");
        Assert.Equal(before, Directory.GetDirectories(Path.Combine(Daemon.DataDir, "volumes")).Length);
        Assert.DoesNotContain("fromcorrupt", (await Daemon.RunAsync("volumes", "list", "--json")).Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "volumes", "create", "v", "--size", "0" }, "invalid --size 0: must be 1-500")]
    [InlineData(new[] { "volumes", "create", "v", "--size", "501" }, "invalid --size 501: must be 1-500")]
    [InlineData(new[] { "volumes", "create", "v", "--snapshot-retention", "61" }, "invalid --snapshot-retention 61: must be 1-60")]
    [InlineData(new[] { "volumes", "create", "Bad", "--size", "900" }, "invalid volume name 'Bad'")]
    [InlineData(new[] { "volumes", "create", "v", "--auto-extend-threshold", "80" }, "go together")]
    [InlineData(new[] { "volumes", "create", "v", "-a", "ghost-app" }, "app 'ghost-app' not found")]
    [InlineData(new[] { "volumes", "create", "v", "--snapshot-id", "vs_doesnotexist" }, "snapshot 'vs_doesnotexist' not found")]
    [InlineData(new[] { "volumes", "create", "v", "--snapshot-id", "../etc" }, "invalid --snapshot-id '../etc'")]
    [InlineData(new[] { "volumes", "show", "vol_missing" }, "volume 'vol_missing' not found")]
    [InlineData(new[] { "volumes", "show", "not-an-id" }, "invalid volume id 'not-an-id'")]
    [InlineData(new[] { "volumes", "create", "v", "--size", "ten" }, "ten")]
    public async Task Bad_input_is_one_line_and_creates_nothing(string[] args, string message)
    {
        var before = (await Daemon.RunAsync("volumes", "list", "--json")).ShouldSucceed().Stdout;
        (await Daemon.RunAsync(args)).ShouldFailWith(message);
        var after = (await Daemon.RunAsync("volumes", "list", "--json")).ShouldSucceed().Stdout;
        Assert.Equal(JsonDocument.Parse(before).RootElement.GetArrayLength(), JsonDocument.Parse(after).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Both_bad_values_are_reported_at_once()
    {
        (await Daemon.RunAsync("volumes", "create", "v", "--size", "900", "--snapshot-retention", "0"))
            .ShouldFailWith("invalid --size 900: must be 1-500; invalid --snapshot-retention 0: must be 1-60");
    }

    [Fact]
    public async Task Extend_only_grows()
    {
        var id = (await CreateAsync("grow", "--size", "3")).GetProperty("id").GetString()!;
        (await Daemon.RunAsync("volumes", "extend", id, "--size", "2")).ShouldFailWith("can only grow (4-500)");
        (await Daemon.RunAsync("volumes", "extend", id, "--size", "3")).ShouldFailWith("can only grow");
        (await Daemon.RunAsync("volumes", "extend", id, "--size", "501")).ShouldFailWith("invalid --size 501");
    }

    [Fact]
    public async Task Auto_extend_grows_the_volume_when_usage_crosses_the_threshold()
    {
        var id = (await CreateAsync("auto", "--size", "1", "--auto-extend-threshold", "1", "--auto-extend-increment", "2", "--auto-extend-limit", "4")).GetProperty("id").GetString()!;
        await File.WriteAllBytesAsync(Path.Combine(VolumePath(id), "fill.bin"), new byte[12 * 1024 * 1024]);
        await Poll.UntilAsync(async () => Json(await Daemon.RunAsync("volumes", "show", id, "--json")).GetProperty("sizeGb").GetInt32() == 3, TimeSpan.FromSeconds(60), "auto-extend to 3 GB");
    }

    private async Task<JsonElement> CreateAsync(string name, params string[] flags) =>
        Json((await Daemon.RunAsync(["volumes", "create", name, "--json", .. flags])).ShouldSucceed());

    private static JsonElement Json(CliResult result) => JsonDocument.Parse(result.Stdout).RootElement;

    private string VolumePath(string id) => Path.Combine(Daemon.DataDir, "volumes", id);

    private Dictionary<string, string> WriteContent(string id)
    {
        var root = VolumePath(id);
        Directory.CreateDirectory(Path.Combine(root, "nested", "deeper"));
        var random = new Random(42);
        var files = new Dictionary<string, string>();
        foreach (var (relative, size) in new[] { ("a.bin", 1_234_567), ("nested/b.bin", 77), ("nested/deeper/c.bin", 3_000_000), ("empty", 0) })
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(root, relative), bytes);
            files[relative] = Convert.ToHexString(SHA256.HashData(bytes));
        }

        return files;
    }

    private void AssertSameContent(Dictionary<string, string> expected, string id)
    {
        foreach (var (relative, hash) in expected)
        {
            Assert.Equal(hash, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(VolumePath(id), relative)))));
        }
    }
}
