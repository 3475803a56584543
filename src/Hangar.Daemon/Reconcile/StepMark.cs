namespace Hangar.Daemon.Reconcile;

/// <summary>The sub-phase a record is in and since when, as stored in the record (null: none).</summary>
internal readonly record struct StepMark(string? SubPhase, DateTimeOffset? Since);
