using Hangar.Daemon.Hosting;
using Xunit;

namespace Hangar.Daemon.Tests.Hosting;

public sealed class DataDirectoryTests : IDisposable
{
    private const UnixFileMode Loose = (UnixFileMode)0x1A4; // 0644
    private const UnixFileMode LooseDirectory = (UnixFileMode)0x1ED; // 0755

    private readonly string _parent = Directory.CreateTempSubdirectory("hangar-datadir-").FullName;

    public DataDirectoryTests() => File.SetUnixFileMode(_parent, LooseDirectory);

    [Fact]
    public void Start_up_takes_away_what_others_could_do_with_the_files_an_older_hangar_left()
    {
        // What an install before the file-mode rules looks like: archives with the cluster's passwords, 0644 in 0755.
        var data = new DataDirectory(Path.Combine(_parent, "data"));
        var archive = Path.Combine(data.Snapshots, "vs_old.tar.gz");
        var scratch = Path.Combine(data.Snapshots, ".tmp-vs_half");
        var log = Path.Combine(data.Logs, "pg-db-1.log");
        var pid = Path.Combine(data.Run, "pg-db-1.pid");
        var proxy = Path.Combine(data.Postgres, "db", "proxy.json");
        var acl = Path.Combine(data.Redis, "cache", "users.acl");
        foreach (var dir in new[] { data.Root, data.Snapshots, scratch, data.Logs, data.Run, Path.GetDirectoryName(proxy)!, Path.GetDirectoryName(acl)!, data.S3, data.Volumes })
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, LooseDirectory);
        }

        foreach (var file in new[] { archive, archive + ".tmp", log, pid, proxy, acl, data.ClientConfig, data.SecretsKey, data.S3AdminToken, data.LockFile })
        {
            File.WriteAllText(file, "x");
            File.SetUnixFileMode(file, Loose);
        }

        data.Create();

        foreach (var file in new[] { archive, archive + ".tmp", log, pid, proxy, acl, data.ClientConfig, data.SecretsKey, data.S3AdminToken, data.LockFile })
        {
            Assert.True(File.GetUnixFileMode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{file}: {File.GetUnixFileMode(file)}");
        }

        foreach (var dir in new[] { scratch, data.Logs, data.Run, data.Postgres, Path.GetDirectoryName(proxy)!, Path.GetDirectoryName(acl)!, data.S3 })
        {
            Assert.True(File.GetUnixFileMode(dir) == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), $"{dir}: {File.GetUnixFileMode(dir)}");
        }

        // The postgres and redis users still pass through to their own directories; nobody lists them.
        foreach (var dir in new[] { data.Root, data.Volumes, data.Snapshots, data.Redis })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute, File.GetUnixFileMode(dir));
        }
    }

    public void Dispose() => Directory.Delete(_parent, recursive: true);
}
