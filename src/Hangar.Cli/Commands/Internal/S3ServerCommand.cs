using System.CommandLine;
using Hangar.ObjectStore;

namespace Hangar.Cli.Commands.Internal;

/// <summary>
/// Hidden `hangar __s3-server ...`: the S3 server process the daemon supervises as "s3". Its arguments are the S3
/// server's own (see <see cref="S3ServerProgram.Usage"/>), passed through untouched.
/// </summary>
internal static class S3ServerCommand
{
    public static Command Create()
    {
        var command = new Command("__s3-server", "Run the S3 server (started by the daemon)") { Hidden = true, TreatUnmatchedTokensAsErrors = false };
        command.SetAction((parse, ct) => S3ServerProgram.RunAsync([.. parse.UnmatchedTokens], ct));
        return command;
    }
}
