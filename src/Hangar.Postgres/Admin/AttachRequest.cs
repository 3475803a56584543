namespace Hangar.Postgres.Admin;

/// <summary>
/// Attach an app: a database and an owning login role, both usually named after the app
/// (<see cref="PostgresNames.FromAppName"/>).
/// </summary>
/// <param name="AttachmentId">
/// The daemon's id for this attachment, recorded on the role. A re-run with the same id after a crash
/// finishes the half-done attach; any other existing role of that name is refused.
/// </param>
/// <param name="Password">The role's password; the caller generates and stores it (it becomes DATABASE_URL).</param>
/// <param name="Postgis">Create PostGIS in the database (the cluster was made with --enable-postgis-support).</param>
public sealed record AttachRequest(string Database, string User, string Password, string AttachmentId, bool Superuser = false, bool Postgis = false)
{
    public override string ToString() => $"AttachRequest {{ Database = {Database}, User = {User}, AttachmentId = {AttachmentId}, Superuser = {Superuser}, Postgis = {Postgis} }}";
}
