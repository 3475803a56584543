using System.Text;
using Hangar.Core.Errors;
using Hangar.Daemon.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Logs;

/// <summary>
/// `hangar logs [-a NAME] [--follow]`: the tail of the daemon's log, or of every process log that belongs to NAME
/// ("NAME", "KIND-NAME", "KIND-NAME-N") merged by time, each line prefixed with its process; with follow, new lines as they come.
/// </summary>
internal static class LogEndpoints
{
    public static void MapLogEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/logs", async (string? name, int? lines, bool? follow, DataDirectory data, TimeProvider time, HttpContext context) =>
        {
            var files = FilesFor(data, name);
            if (files.Count == 0)
            {
                throw HangarException.NotFound("logs for", name ?? "hangar");
            }

            context.Response.ContentType = "text/plain; charset=utf-8";
            var ct = context.RequestAborted;
            var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
            var count = Math.Clamp(lines ?? 100, 1, 10_000);

            // A resource's logs are one log: the last N lines of all of its processes, merged by time. The last N of the
            // merge are among the last N of each file, so each is read only that far back.
            var tails = new List<(string Label, IReadOnlyList<string> Lines)>();
            foreach (var (label, path) in files)
            {
                var (tail, end) = await TailAsync(path, count, ct);
                offsets[path] = end;
                tails.Add((label, tail));
            }

            var prefix = name is not null;
            await WriteLinesAsync(context.Response, string.Empty, prefix ? LogMerge.Last(tails, count) : tails[0].Lines, prefix: false, ct);

            await context.Response.Body.FlushAsync(ct);
            while (follow == true && !ct.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), time, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                foreach (var (label, path) in FilesFor(data, name))
                {
                    var start = offsets.GetValueOrDefault(path);
                    var length = File.Exists(path) ? new FileInfo(path).Length : 0;
                    if (length < start)
                    {
                        start = 0; // rotated: the file was truncated under us
                    }

                    if (length == start)
                    {
                        continue;
                    }

                    var text = await ReadRangeAsync(path, start, length, ct);
                    var complete = text.LastIndexOf('\n');
                    if (complete < 0)
                    {
                        continue;
                    }

                    offsets[path] = start + Encoding.UTF8.GetByteCount(text.AsSpan(0, complete + 1));
                    await WriteLinesAsync(context.Response, label, text[..complete].Split('\n'), prefix, ct);
                    await context.Response.Body.FlushAsync(ct);
                }
            }
        }).WithTags("logs");
    }

    private static List<(string Label, string Path)> FilesFor(DataDirectory data, string? name)
    {
        if (name is null)
        {
            return File.Exists(data.DaemonLog) ? [("hangar", data.DaemonLog)] : [];
        }

        return [.. Directory.EnumerateFiles(data.Logs, "*.log")
            .Select(p => (Label: Path.GetFileNameWithoutExtension(p), Path: p))
            .Where(f => f.Label == name || f.Label.EndsWith("-" + name, StringComparison.Ordinal) || f.Label.Contains("-" + name + "-", StringComparison.Ordinal))
            .OrderBy(f => f.Label, StringComparer.Ordinal)];
    }

    private static async Task WriteLinesAsync(HttpResponse response, string label, IEnumerable<string> lines, bool prefix, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            builder.Append(prefix ? $"[{label}] " : string.Empty).Append(line.TrimEnd('\r')).Append('\n');
        }

        await response.WriteAsync(builder.ToString(), cancellationToken);
    }

    private static async Task<(IReadOnlyList<string> Lines, long End)> TailAsync(string path, int count, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;

        // Read back from the end in growing windows until enough lines are in hand.
        for (long window = 64 * 1024; ; window *= 4)
        {
            var start = Math.Max(0, length - window);
            var text = await ReadRangeAsync(path, start, length, cancellationToken);
            var lines = text.Split('\n').ToList();
            if (lines.Count > 0 && lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            if (lines.Count > count || start == 0)
            {
                if (start > 0)
                {
                    lines.RemoveAt(0); // a partial first line
                }

                return (lines.Skip(Math.Max(0, lines.Count - count)).ToList(), length);
            }
        }
    }

    private static async Task<string> ReadRangeAsync(string path, long start, long end, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[end - start];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
