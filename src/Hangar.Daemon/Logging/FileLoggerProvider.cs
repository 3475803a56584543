using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Hangar.Daemon.Logging;

/// <summary>The daemon's own log file (what `hangar logs` without -a shows), size-capped like the children's.</summary>
internal sealed class FileLoggerProvider(string path, long maxBytes = 10 * 1024 * 1024) : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, FileLogger> _loggers = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private StreamWriter? _writer;
    private long _dropped;
    private string? _dropReason;

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new FileLogger(this, name));

    public void Dispose()
    {
        lock (_gate)
        {
            CloseWriter();
        }
    }

    /// <summary>
    /// Never throws: a log line that cannot be written (full disk, removed directory) must not fail the
    /// request that logged it. Lines are dropped and counted, and the count is written once writing works again.
    /// </summary>
    private void Write(string line)
    {
        lock (_gate)
        {
            try
            {
                if (_writer is null || _writer.BaseStream.Length > maxBytes)
                {
                    CloseWriter();
                    if (File.Exists(path) && new FileInfo(path).Length > maxBytes)
                    {
                        File.Move(path, path + ".1", overwrite: true);
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite, UnixCreateMode = Core.Unix.FileModes.OwnerFile };
                    _writer = new StreamWriter(new FileStream(path, options), new UTF8Encoding(false)) { AutoFlush = true };
                }

                if (_dropped > 0)
                {
                    _writer.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} warn FileLoggerProvider: {_dropped} log lines were dropped because {path} could not be written: {_dropReason}");
                    _dropped = 0;
                }

                _writer.WriteLine(line);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _dropped++;
                _dropReason = ex.Message;

                // The writer may hold the unwritten line in its buffer: a fresh one next time writes nothing twice.
                CloseWriter();
            }
        }
    }

    private void CloseWriter()
    {
        try
        {
            _writer?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        _writer = null;
    }

    /// <summary>Lines dropped since the last successful write.</summary>
    internal long Dropped
    {
        get
        {
            lock (_gate)
            {
                return _dropped;
            }
        }
    }

    private sealed class FileLogger(FileLoggerProvider owner, string category) : ILogger
    {
        private readonly string _shortCategory = category[(category.LastIndexOf('.') + 1)..];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var level = logLevel switch
            {
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "error",
                LogLevel.Critical => "crit",
                _ => "debug",
            };
            var line = $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {level} {_shortCategory}: {formatter(state, exception)}";
            owner.Write(exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}
