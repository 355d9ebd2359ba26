using Ipvsd.Configuration;

namespace Ipvsd.Daemon;

/// <summary>
/// Watches the services file or directory with inotify (FileSystemWatcher) and posts each model file that changed,
/// appeared, disappeared or was renamed in or out. An overflow of the kernel's event queue posts a full reload.
/// </summary>
internal sealed class ServiceFileWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;

    public ServiceFileWatcher(ServiceFiles files, DaemonEvents events)
    {
        string directory = files.IsDirectory ? files.Path : Path.GetDirectoryName(files.Path) ?? "/";
        _watcher = new FileSystemWatcher(directory)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        void Post(string path)
        {
            if (files.IsModelFile(path))
            {
                events.FileChanged(path);
            }
        }
        _watcher.Changed += (_, e) => Post(e.FullPath);
        _watcher.Created += (_, e) => Post(e.FullPath);
        _watcher.Deleted += (_, e) => Post(e.FullPath);
        _watcher.Renamed += (_, e) =>
        {
            Post(e.OldFullPath);
            Post(e.FullPath);
        };
        _watcher.Error += (_, _) => events.ReloadAll();
        _watcher.EnableRaisingEvents = true;
    }

    public void Dispose() => _watcher.Dispose();
}
