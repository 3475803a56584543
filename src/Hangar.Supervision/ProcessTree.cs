using System.Globalization;

namespace Hangar.Supervision;

/// <summary>
/// Parent links and run states from /proc. A child that started its own session (Patroni's postmaster does) is not
/// in its parent's process group, so killing a group misses it; following parent links finds it.
/// </summary>
public static class ProcessTree
{
    /// <summary>Every live descendant of <paramref name="root"/>, parents before their children.</summary>
    public static IReadOnlyList<ProcessIdentity> Descendants(ProcessIdentity root)
    {
        var result = new List<ProcessIdentity>();
        if (!root.IsAlive())
        {
            return result;
        }

        // /proc/PID/task/TID/children is one small read per process; the fallback scans every process's stat.
        Func<int, IEnumerable<int>> childrenOf = File.Exists($"/proc/{root.Pid}/task/{root.Pid}/children") ? ChildrenFromTasks : ParentMap();
        var pending = new Queue<int>([root.Pid]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var child in childrenOf(parent))
            {
                if (ProcessIdentity.Read(child) is { } identity)
                {
                    result.Add(identity);
                    pending.Enqueue(child);
                }
            }
        }

        return result;
    }

    /// <summary>True when the process is stopped by a signal (state T) or by a tracer (t): it runs nothing until SIGCONT.</summary>
    public static bool IsStopped(ProcessIdentity process) =>
        process.IsAlive() && ProcessIdentity.StatFields(process.Pid) is [var state, ..] && state is "T" or "t";

    private static IEnumerable<int> ChildrenFromTasks(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var children = new List<int>();
        foreach (var task in tasks)
        {
            try
            {
                foreach (var field in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    children.Add(int.Parse(field, CultureInfo.InvariantCulture));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The thread exited meanwhile.
            }
        }

        return children;
    }

    private static Func<int, IEnumerable<int>> ParentMap()
    {
        var byParent = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ProcessIdentity.StatFields(pid) is [_, var parentField, ..]
                && int.TryParse(parentField, NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
            {
                (byParent.TryGetValue(parent, out var children) ? children : byParent[parent] = []).Add(pid);
            }
        }

        return parent => byParent.GetValueOrDefault(parent) ?? [];
    }
}
