namespace Hangar.Client.Models;

/// <summary>Rows of one table in the live database and in the restored copy.</summary>
public sealed record SqliteTableCount(string Table, long Live, long Restored);
