namespace Hangar.Daemon.Reconcile;

/// <summary>
/// What one reconcile step decided for one record: done (nothing more until the record changes or the next resync)
/// or come back after <see cref="After"/>. <see cref="SubPhase"/> is the step the record has reached (recorded in
/// the record with the time it entered it, so deadlines are measured from the record and survive a daemon restart);
/// <see cref="Limit"/> is how long the record may stay in that sub-phase before it fails. <see cref="Decision"/> is
/// the one line the log gets.
/// </summary>
internal readonly record struct StepResult(string Decision, TimeSpan? After, string? SubPhase, TimeSpan? Limit)
{
    public bool IsDone => After is null;

    public static StepResult Done(string decision) => new(decision, null, null, null);

    public static StepResult Requeue(TimeSpan after, string? subPhase, string decision, TimeSpan? limit = null) => new(decision, after, subPhase, limit);
}
