using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Hangar.Core.Errors;
using Hangar.Core.Unix;

namespace Hangar.Volumes;

/// <summary>
/// Volumes and snapshots on this host's disk. Every step that makes something writes into a ".tmp-" name first
/// and renames it into place last, so a crash leaves either nothing or the whole thing, and redoing a step is safe.
/// </summary>
public sealed class VolumeDisk
{
    private const string TempPrefix = ".tmp-";

    public VolumeDisk(string volumesDirectory, string snapshotsDirectory)
    {
        VolumesDirectory = volumesDirectory;
        SnapshotsDirectory = snapshotsDirectory;
        Directory.CreateDirectory(volumesDirectory);
        Directory.CreateDirectory(snapshotsDirectory);
    }

    public string VolumesDirectory { get; }

    public string SnapshotsDirectory { get; }

    public string PathOf(string volumeId) => Path.Combine(VolumesDirectory, volumeId);

    public string ArchiveOf(string snapshotId) => Path.Combine(SnapshotsDirectory, snapshotId + ".tar.gz");

    /// <summary>Where a program may make a consistent copy for <see cref="SnapshotAsync"/> (see <see cref="SnapshotOverlay"/>); removed with the snapshot.</summary>
    public string ScratchOf(string snapshotId) => Path.Combine(SnapshotsDirectory, TempPrefix + snapshotId);

    public bool Exists(string volumeId) => Directory.Exists(PathOf(volumeId));

    public void CreateEmpty(string volumeId)
    {
        if (Exists(volumeId))
        {
            return;
        }

        var temp = FreshTemp(volumeId);
        Directory.CreateDirectory(temp);
        Directory.Move(temp, PathOf(volumeId));
    }

    /// <summary>Copies <paramref name="sourceId"/> into a new volume, preserving modes, owners and links (cp -a).</summary>
    public async Task ForkAsync(string sourceId, string volumeId, CancellationToken cancellationToken)
    {
        if (Exists(volumeId))
        {
            return;
        }

        if (!Exists(sourceId))
        {
            throw HangarException.NotFound("volume", sourceId);
        }

        var temp = FreshTemp(volumeId);
        await RunAsync("/bin/cp", ["-a", "--reflink=auto", PathOf(sourceId), temp], cancellationToken);
        Directory.Move(temp, PathOf(volumeId));
    }

    /// <summary>
    /// Writes a gzip'd tar of the volume (with <paramref name="overlay"/>'s copy in place of that part of it, and without
    /// the files named in <paramref name="excluded"/>, relative to the volume) and returns its checksum; an existing
    /// finished archive is measured, not rewritten. The archive is its owner's alone (0600): it holds the volume's data.
    /// </summary>
    public async Task<SnapshotArchive> SnapshotAsync(
        string volumeId, string snapshotId, SnapshotOverlay? overlay, IReadOnlyCollection<string> excluded, CancellationToken cancellationToken)
    {
        var archive = ArchiveOf(snapshotId);
        if (!File.Exists(archive))
        {
            if (!Exists(volumeId))
            {
                throw HangarException.NotFound("volume", volumeId);
            }

            var temp = archive + ".tmp";
            File.Delete(temp);
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 1 << 16,
                Options = FileOptions.Asynchronous,
                UnixCreateMode = FileModes.OwnerFile,
            };
            await using (var file = new FileStream(temp, options))
            {
                await using (var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true))
                {
                    await WriteTarAsync(PathOf(volumeId), overlay, excluded, gzip, cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, archive);
        }

        return await MeasureAsync(archive, cancellationToken);
    }

    /// <summary>Restores a snapshot into a new volume after checking its SHA-256.</summary>
    public async Task RestoreAsync(string snapshotId, string expectedSha256, string volumeId, CancellationToken cancellationToken)
    {
        if (Exists(volumeId))
        {
            return;
        }

        var archive = ArchiveOf(snapshotId);
        if (!File.Exists(archive))
        {
            throw HangarException.NotFound("snapshot archive", snapshotId);
        }

        var actual = await HashAsync(archive, cancellationToken);
        if (!string.Equals(actual, expectedSha256, StringComparison.Ordinal))
        {
            throw HangarException.Precondition($"snapshot {snapshotId} is corrupt: sha256 {actual}, expected {expectedSha256}");
        }

        var temp = FreshTemp(volumeId);
        Directory.CreateDirectory(temp);
        await using (var file = File.OpenRead(archive))
        await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        await using (var reader = new TarReader(gzip))
        {
            var root = Path.GetFullPath(temp) + Path.DirectorySeparatorChar;
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                var name = entry.Name.TrimEnd('/');
                if (name is "." or "")
                {
                    File.SetUnixFileMode(temp, entry.Mode);
                    continue;
                }

                // Never trust names in an archive: nothing may land outside the new volume.
                var target = Path.GetFullPath(Path.Combine(root, name));
                if (!target.StartsWith(root, StringComparison.Ordinal))
                {
                    throw HangarException.Precondition($"snapshot {snapshotId} holds an entry outside the volume: {entry.Name}");
                }

                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(target);
                        File.SetUnixFileMode(target, entry.Mode);
                        break;
                    case TarEntryType.SymbolicLink:
                        // A link is restored as the link it was; it is never followed while restoring.
                        File.CreateSymbolicLink(target, entry.LinkName);
                        break;
                    case TarEntryType.HardLink:
                        var source = Path.GetFullPath(Path.Combine(root, entry.LinkName));
                        if (!source.StartsWith(root, StringComparison.Ordinal))
                        {
                            throw HangarException.Precondition($"snapshot {snapshotId} holds a link outside the volume: {entry.Name}");
                        }

                        File.Copy(source, target);
                        break;
                    default:
                        await entry.ExtractToFileAsync(target, overwrite: false, cancellationToken);
                        break;
                }
            }
        }

        Directory.Move(temp, PathOf(volumeId));
    }

    public void Delete(string volumeId)
    {
        var path = PathOf(volumeId);
        if (Directory.Exists(path))
        {
            // Rename first so a crash half way through the delete never leaves a half-empty live volume.
            var doomed = FreshTemp(volumeId);
            Directory.Move(path, doomed);
            Directory.Delete(doomed, recursive: true);
        }

        DeleteTemp(volumeId);
    }

    public void DeleteSnapshot(string snapshotId)
    {
        File.Delete(ArchiveOf(snapshotId));
        File.Delete(ArchiveOf(snapshotId) + ".tmp");
        DeleteScratch(snapshotId);
    }

    /// <summary>Removes a snapshot's scratch copy, stopping first a copier left running by a daemon that died.</summary>
    public void DeleteScratch(string snapshotId)
    {
        var scratch = ScratchOf(snapshotId);
        KillProcessesUsing(scratch);
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Bytes used by the volume's files (apparent size).</summary>
    public long UsedBytes(string volumeId)
    {
        var path = PathOf(volumeId);
        if (!Directory.Exists(path))
        {
            return 0;
        }

        long total = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };

        // ReparsePoint: a symbolic link counts as itself, never as what it points to.
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", options))
        {
            total += file.Length;
        }

        return total;
    }

    /// <summary>Leftover ".tmp-" directories and archives are half-done steps of a crashed daemon: remove them.</summary>
    public void DeleteTemp(string volumeId)
    {
        var temp = Path.Combine(VolumesDirectory, TempPrefix + volumeId);

        // A copy started by a daemon that was killed may still be writing here: stop it before undoing its work,
        // or it would keep filling the directory we are about to remove (or the one the retry creates).
        KillProcessesUsing(temp);
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static void KillProcessesUsing(string path)
    {
        var killed = new List<int>();
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                // cp names the directory itself; pg_basebackup a directory inside it (-D SCRATCH/data), and so does
                // the WAL-streaming child it forks.
                var commandLine = File.ReadAllText(Path.Combine(proc, "cmdline")).Split('\0');
                if (commandLine.Any(argument => argument == path || argument.StartsWith(path + "/", StringComparison.Ordinal)))
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                    killed.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone already, or not ours to read.
            }
        }

        // Dead is enough: a zombie writes nothing more. One orphaned by a killed daemon is init's to reap, and one this
        // daemon started is reaped by the runtime; waiting for the reaping would wait on init's pace.
        var deadline = Environment.TickCount64 + 5000;
        while (killed.Any(pid => !ChildProcess.HasStopped(pid)) && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(20);
        }
    }

    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

    private async Task<SnapshotArchive> MeasureAsync(string archive, CancellationToken cancellationToken)
    {
        long content = 0;
        await using (var file = File.OpenRead(archive))
        await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        await using (var reader = new TarReader(gzip))
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                content += entry.Length;
            }
        }

        return new SnapshotArchive(new FileInfo(archive).Length, content, await HashAsync(archive, cancellationToken));
    }

    /// <summary>
    /// The volume as a tar whose first entry is the volume's root directory: the archive is never empty (an empty tar
    /// cannot be read back) and a restore gets the root's mode too. Symbolic links are stored as links, not followed.
    /// </summary>
    private static async Task WriteTarAsync(string root, SnapshotOverlay? overlay, IReadOnlyCollection<string> excluded, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await writer.WriteEntryAsync(root, ".", cancellationToken);
        var skip = excluded.Select(relative => Path.GetFullPath(Path.Combine(root, relative))).ToHashSet(StringComparer.Ordinal);
        if (overlay is not null)
        {
            skip.Add(Path.GetFullPath(Path.Combine(root, overlay.RelativePath)));
        }

        await WriteTreeAsync(writer, root, string.Empty, skip, cancellationToken);
        if (overlay is not null)
        {
            await writer.WriteEntryAsync(overlay.Directory, overlay.RelativePath, cancellationToken);
            await WriteTreeAsync(writer, overlay.Directory, overlay.RelativePath, new HashSet<string>(StringComparer.Ordinal), cancellationToken);
        }
    }

    /// <summary>Everything under <paramref name="directory"/>, named under <paramref name="prefix"/>, except what is in <paramref name="skip"/> and unix sockets.</summary>
    private static async Task WriteTreeAsync(TarWriter writer, string directory, string prefix, IReadOnlySet<string> skip, CancellationToken cancellationToken)
    {
        // .NET shows no file types beyond file/directory/link, and tar cannot hold a socket: ask find for them once.
        var sockets = (await RunAsync("/usr/bin/find", [directory, "-type", "s", "-print0"], cancellationToken))
            .Split('\0', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(directory)]);
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        while (pending.TryPop(out var current))
        {
            foreach (var entry in current.EnumerateFileSystemInfos("*", options))
            {
                // A unix socket is a live server's endpoint, not data; the server makes it again when it starts.
                // The overlaid part comes from its consistent copy instead; excluded files (credentials) stay out.
                if (sockets.Contains(entry.FullName) || skip.Contains(entry.FullName))
                {
                    continue;
                }

                await writer.WriteEntryAsync(entry.FullName, Path.Join(prefix, Path.GetRelativePath(directory, entry.FullName)), cancellationToken);

                // The enumerator would follow a link to a directory (even to /etc): descend only into real directories.
                if (entry is DirectoryInfo sub && sub.LinkTarget is null)
                {
                    pending.Push(sub);
                }
            }
        }
    }

    private string FreshTemp(string volumeId)
    {
        DeleteTemp(volumeId);
        return Path.Combine(VolumesDirectory, TempPrefix + volumeId);
    }

    private static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await ChildProcess.WaitOrKillAsync(process, cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new IOException($"{file} failed: {error.Trim()}");
        }

        return await output;
    }
}
