namespace Hangar.Core.Resources;

/// <summary>Where each kind of record lives in the store: /hangar/KIND/NAME.</summary>
public static class StoreKeys
{
    public const string Root = "/hangar/";
    public const string Apps = Root + "apps/";
    public const string Secrets = Root + "secrets/";
    public const string Volumes = Root + "volumes/";
    public const string Snapshots = Root + "snapshots/";
    public const string Attachments = Root + "attachments/";
    public const string Ports = Root + "ports/";

    public static string App(string name) => Apps + name;

    public static string SecretsOf(string app) => Secrets + app;

    public static string Volume(string id) => Volumes + id;

    public static string Snapshot(string id) => Snapshots + id;

    public static string Port(int port) => Ports + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string AttachmentsOf(string app) => Attachments + app + "/";

    public static string Attachment(string app, string kind, string name) => AttachmentsOf(app) + kind + ":" + name;

    /// <summary>
    /// One of several attachments of one resource to one app, told apart by the variable they set (a cluster attached
    /// as DATABASE_URL and as NEW_DATABASE_URL). Keys written before this existed have no variable part.
    /// </summary>
    public static string Attachment(string app, string kind, string name, string? variable) =>
        variable is null ? Attachment(app, kind, name) : Attachment(app, kind, name) + ":" + variable;
}
