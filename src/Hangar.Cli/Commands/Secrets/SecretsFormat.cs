using Hangar.Cli.Infrastructure;
using Hangar.Client.Models;

namespace Hangar.Cli.Commands.Secrets;

internal static class SecretsFormat
{
    /// <summary>After a change: the app's secrets as JSON, or one line saying what changed.</summary>
    public static int Changed(CliContext context, IReadOnlyList<SecretInfo> secrets, string message)
    {
        context.Out.Write(secrets, _ => Output.Line(message));
        return 0;
    }

    public static void Table(IReadOnlyList<SecretInfo> secrets) =>
        Output.Table(["name", "digest", "created at"], secrets.Select(s => new[] { s.Name, s.Digest, Output.Ago(s.CreatedAt) }));
}
