namespace Hangar.Proxy.Configuration;

/// <summary>Calls back when the config file may have changed (written in place, or replaced by rename).</summary>
internal sealed class ConfigFileWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;

    public ConfigFileWatcher(string path, Action changed)
    {
        var full = Path.GetFullPath(path);
        // Watch the directory, not the file: the daemon replaces the file atomically (temp + rename),
        // which a watch on the old inode would never report.
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => changed();
        _watcher.Created += (_, _) => changed();
        _watcher.Renamed += (_, _) => changed();
        // An overflowed event queue may have lost the change we care about: re-read to be sure.
        _watcher.Error += (_, _) => changed();
        _watcher.EnableRaisingEvents = true;
    }

    public void Dispose() => _watcher.Dispose();
}
