namespace Hangar.Volumes;

/// <summary>
/// A consistent copy of part of a live volume, made by the program that writes it (pg_basebackup for a Postgres
/// node): the snapshot archives <see cref="Directory"/>'s contents under <see cref="RelativePath"/> instead of the
/// live files there.
/// </summary>
public sealed record SnapshotOverlay(string RelativePath, string Directory);
