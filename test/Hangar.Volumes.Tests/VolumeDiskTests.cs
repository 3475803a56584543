using System.Formats.Tar;
using System.IO.Compression;
using Hangar.Core.Errors;
using Xunit;

namespace Hangar.Volumes.Tests;

public sealed class VolumeDiskTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hangar-vol-").FullName;
    private readonly VolumeDisk _disk;

    public VolumeDiskTests() => _disk = new VolumeDisk(Path.Combine(_root, "volumes"), Path.Combine(_root, "snapshots"));

    [Fact]
    public async Task An_empty_volume_snapshots_and_restores()
    {
        _disk.CreateEmpty("vol_a");
        var archive = await _disk.SnapshotAsync("vol_a", "vs_a", null, [], CancellationToken.None);
        Assert.Equal(0, archive.ContentBytes);
        await _disk.RestoreAsync("vs_a", archive.Sha256, "vol_b", CancellationToken.None);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_disk.PathOf("vol_b")));
    }

    [Fact]
    public async Task Snapshot_keeps_modes_dotfiles_and_links_and_never_follows_a_link()
    {
        _disk.CreateEmpty("vol_a");
        var volume = _disk.PathOf("vol_a");
        await File.WriteAllTextAsync(Path.Combine(volume, ".hidden"), "dot");
        Directory.CreateDirectory(Path.Combine(volume, "private"));
        File.SetUnixFileMode(Path.Combine(volume, "private"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(volume, "private", "to-hidden"), "../.hidden");
        var outside = Directory.CreateTempSubdirectory("hangar-outside-").FullName;
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.txt"), "must not be archived");
        File.CreateSymbolicLink(Path.Combine(volume, "outside"), outside);

        var archive = await _disk.SnapshotAsync("vol_a", "vs_a", null, [], CancellationToken.None);
        Assert.Equal(3, archive.ContentBytes);
        await _disk.RestoreAsync("vs_a", archive.Sha256, "vol_b", CancellationToken.None);

        var restored = _disk.PathOf("vol_b");
        Assert.Equal("dot", await File.ReadAllTextAsync(Path.Combine(restored, ".hidden")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(restored, "private")));
        Assert.Equal("../.hidden", new FileInfo(Path.Combine(restored, "private", "to-hidden")).LinkTarget);
        Assert.Equal(outside, new DirectoryInfo(Path.Combine(restored, "outside")).LinkTarget);
        Directory.Delete(outside, recursive: true);
        Assert.False(File.Exists(Path.Combine(restored, "outside", "secret.txt")));
    }

    [Fact]
    public async Task A_unix_socket_in_a_volume_is_left_out_of_its_snapshot()
    {
        _disk.CreateEmpty("vol_a");
        await File.WriteAllTextAsync(Path.Combine(_disk.PathOf("vol_a"), "data"), "kept");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(_disk.PathOf("vol_a"), ".s.PGSQL.5432")));

        var archive = await _disk.SnapshotAsync("vol_a", "vs_a", null, [], CancellationToken.None);
        await _disk.RestoreAsync("vs_a", archive.Sha256, "vol_b", CancellationToken.None);
        Assert.Equal(["data"], Directory.GetFileSystemEntries(_disk.PathOf("vol_b")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Excluded_files_stay_out_of_the_archive_and_the_archive_is_the_owners_alone()
    {
        _disk.CreateEmpty("vol_a");
        var volume = _disk.PathOf("vol_a");
        await File.WriteAllTextAsync(Path.Combine(volume, "patroni.json"), "superuser password");
        Directory.CreateDirectory(Path.Combine(volume, "tls"));
        await File.WriteAllTextAsync(Path.Combine(volume, "tls", "server.key"), "private key");
        await File.WriteAllTextAsync(Path.Combine(volume, "tls", "server.crt"), "certificate");
        await File.WriteAllTextAsync(Path.Combine(volume, "kept"), "data");

        var archive = await _disk.SnapshotAsync("vol_a", "vs_a", null, ["patroni.json", "tls/server.key", "absent"], CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_disk.ArchiveOf("vs_a")));
        await _disk.RestoreAsync("vs_a", archive.Sha256, "vol_b", CancellationToken.None);
        var restored = _disk.PathOf("vol_b");
        Assert.Equal(["kept", "tls"], Directory.GetFileSystemEntries(restored).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["server.crt"], Directory.GetFileSystemEntries(Path.Combine(restored, "tls")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task An_overlay_replaces_its_part_of_the_volume_and_goes_with_the_snapshot()
    {
        _disk.CreateEmpty("vol_a");
        var volume = _disk.PathOf("vol_a");
        await File.WriteAllTextAsync(Path.Combine(volume, "config"), "kept");
        Directory.CreateDirectory(Path.Combine(volume, "data", "live"));
        await File.WriteAllTextAsync(Path.Combine(volume, "data", "live", "torn"), "written while archived");
        var copy = Path.Combine(_disk.ScratchOf("vs_a"), "data");
        Directory.CreateDirectory(Path.Combine(copy, "base"));
        await File.WriteAllTextAsync(Path.Combine(copy, "base", "page"), "consistent");
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var archive = await _disk.SnapshotAsync("vol_a", "vs_a", new SnapshotOverlay("data", copy), [], CancellationToken.None);
        await _disk.RestoreAsync("vs_a", archive.Sha256, "vol_b", CancellationToken.None);

        var restored = _disk.PathOf("vol_b");
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(restored, "config")));
        Assert.Equal("consistent", await File.ReadAllTextAsync(Path.Combine(restored, "data", "base", "page")));
        Assert.False(Directory.Exists(Path.Combine(restored, "data", "live")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(restored, "data")));

        _disk.DeleteSnapshot("vs_a");
        Assert.False(Directory.Exists(_disk.ScratchOf("vs_a")));
        Assert.False(File.Exists(_disk.ArchiveOf("vs_a")));
    }

    [Fact]
    public async Task Deleting_a_scratch_copy_stops_a_copier_still_writing_inside_it()
    {
        // What a daemon killed mid-snapshot leaves: its pg_basebackup still writing SCRATCH/data.
        var inside = Path.Combine(_disk.ScratchOf("vs_a"), "data");
        Directory.CreateDirectory(inside);
        await File.WriteAllTextAsync(Path.Combine(inside, "wal"), "x");
        using var copier = System.Diagnostics.Process.Start("/usr/bin/tail", ["-f", Path.Combine(inside, "wal")]);
        await Task.Delay(100);
        Assert.False(copier.HasExited);

        _disk.DeleteScratch("vs_a");

        Assert.True(copier.WaitForExit(5000));
        Assert.False(Directory.Exists(_disk.ScratchOf("vs_a")));
    }

    [Fact]
    public async Task Restore_refuses_a_checksum_mismatch_and_leaves_nothing()
    {
        _disk.CreateEmpty("vol_a");
        await File.WriteAllTextAsync(Path.Combine(_disk.PathOf("vol_a"), "f"), "data");
        await _disk.SnapshotAsync("vol_a", "vs_a", null, [], CancellationToken.None);
        var error = await Assert.ThrowsAsync<HangarException>(() => _disk.RestoreAsync("vs_a", new string('0', 64), "vol_b", CancellationToken.None));
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
        Assert.False(_disk.Exists("vol_b"));
    }

    [Fact]
    public async Task Restore_refuses_entries_that_escape_the_volume()
    {
        var archive = _disk.ArchiveOf("vs_evil");
        await using (var file = File.Create(archive))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var writer = new TarWriter(gzip))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "../../escaped.txt") { DataStream = new MemoryStream("x"u8.ToArray()) };
            await writer.WriteEntryAsync(entry);
        }

        var hash = await VolumeDisk.HashAsync(archive, CancellationToken.None);
        var error = await Assert.ThrowsAsync<HangarException>(() => _disk.RestoreAsync("vs_evil", hash, "vol_b", CancellationToken.None));
        Assert.Contains("outside the volume", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "escaped.txt")));
        Assert.False(File.Exists(Path.Combine(_root, "volumes", "escaped.txt")));
    }

    [Fact]
    public async Task Steps_are_idempotent_after_a_crash()
    {
        _disk.CreateEmpty("vol_a");
        await File.WriteAllTextAsync(Path.Combine(_disk.PathOf("vol_a"), "f"), "data");

        // A crashed fork leaves a ".tmp-" directory; doing the fork again replaces it and ends whole.
        Directory.CreateDirectory(Path.Combine(_disk.VolumesDirectory, ".tmp-vol_b", "junk"));
        await _disk.ForkAsync("vol_a", "vol_b", CancellationToken.None);
        await _disk.ForkAsync("vol_a", "vol_b", CancellationToken.None);
        Assert.Equal(["f"], Directory.GetFiles(_disk.PathOf("vol_b")).Select(Path.GetFileName));
        Assert.False(Directory.Exists(Path.Combine(_disk.VolumesDirectory, ".tmp-vol_b")));

        var first = await _disk.SnapshotAsync("vol_a", "vs_a", null, [], CancellationToken.None);
        var again = await _disk.SnapshotAsync("vol_a", "vs_a", null, [], CancellationToken.None);
        Assert.Equal(first, again);

        _disk.Delete("vol_b");
        _disk.Delete("vol_b");
        Assert.False(_disk.Exists("vol_b"));
    }

    [Fact]
    public void Used_bytes_counts_files_not_link_targets()
    {
        _disk.CreateEmpty("vol_a");
        File.WriteAllBytes(Path.Combine(_disk.PathOf("vol_a"), "f"), new byte[1000]);
        Directory.CreateDirectory(Path.Combine(_disk.PathOf("vol_a"), "d"));
        File.WriteAllBytes(Path.Combine(_disk.PathOf("vol_a"), "d", "g"), new byte[24]);
        File.CreateSymbolicLink(Path.Combine(_disk.PathOf("vol_a"), "usr"), "/usr");
        Assert.Equal(1024, _disk.UsedBytes("vol_a"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
