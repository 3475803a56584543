using Hangar.Client;
using Hangar.Daemon.Hosting;
using Xunit;

namespace Hangar.Daemon.Tests.Hosting;

public sealed class UserConfigFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hangar-userconfig-").FullName;

    private string Path => System.IO.Path.Combine(_dir, "hangar", ClientConfig.FileName);

    [Fact]
    public void Written_when_there_is_none()
    {
        var ours = new ClientConfig("http://127.0.0.1:4280", "t1", "/var/lib/hangar");
        Assert.Equal($"Client config written to {Path}", UserConfigFile.Update(ours, Path));
        Assert.Equal(ours, ClientConfig.Read(Path));
    }

    [Fact]
    public void Another_data_dir_is_left_alone_and_named()
    {
        var theirs = new ClientConfig("http://127.0.0.1:4280", "t1", "/var/lib/hangar");
        theirs.Write(Path);
        var line = UserConfigFile.Update(new ClientConfig("http://127.0.0.1:5000", "t2", "/tmp/other"), Path);
        Assert.Equal($"Client config {Path} left as it is: it points at another daemon (daemon at http://127.0.0.1:4280, data dir /var/lib/hangar); use HANGAR_DATA_DIR=/tmp/other to reach this one", line);
        Assert.Equal(theirs, ClientConfig.Read(Path));
    }

    [Fact]
    public void The_same_data_dir_is_updated_with_the_new_address()
    {
        new ClientConfig("http://127.0.0.1:4280", "t1", "/var/lib/hangar/").Write(Path);
        var ours = new ClientConfig("http://127.0.0.1:4290", "t1", "/var/lib/hangar");
        UserConfigFile.Update(ours, Path);
        Assert.Equal(ours, ClientConfig.Read(Path));
    }

    [Fact]
    public void A_file_from_before_data_dirs_were_recorded_is_ours_only_with_our_token()
    {
        File.WriteAllText(EnsureDir(Path), """{"apiUrl":"http://127.0.0.1:4280","token":"t1"}""");
        Assert.StartsWith("Client config " + Path + " left as it is", UserConfigFile.Update(new ClientConfig("http://127.0.0.1:4280", "t2", "/d"), Path), StringComparison.Ordinal);
        var ours = new ClientConfig("http://127.0.0.1:4280", "t1", "/d");
        Assert.Equal($"Client config written to {Path}", UserConfigFile.Update(ours, Path));
        Assert.Equal(ours, ClientConfig.Read(Path));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string EnsureDir(string file)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        return file;
    }
}
