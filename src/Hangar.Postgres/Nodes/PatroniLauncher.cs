namespace Hangar.Postgres.Nodes;

/// <summary>
/// hangar_patroni.py, shipped inside this assembly: it replaces the packaged Patroni's unconditional leader-key
/// write with a compare-and-swap on the key's value, then runs Patroni's main. A frozen leader that wakes up after
/// a replica took over can then no longer take the key back and throw away the new leader's commits.
/// It refuses to start a Patroni whose function differs from the one it patches.
/// </summary>
public static class PatroniLauncher
{
    /// <summary>Debian's interpreter, the one whose dist-packages hold the packaged Patroni.</summary>
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>Exit code of the launcher when the installed Patroni is not one it can patch (EX_CONFIG).</summary>
    public const int UnsupportedPatroniExitCode = 78;

    private static readonly Lazy<string> Text = new(Load);

    public static string Script => Text.Value;

    private static string Load()
    {
        using var stream = typeof(PatroniLauncher).Assembly.GetManifestResourceStream("hangar_patroni.py")
            ?? throw new InvalidOperationException("hangar_patroni.py is missing from Hangar.Postgres");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
