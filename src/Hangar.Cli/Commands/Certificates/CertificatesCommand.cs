using System.CommandLine;
using Hangar.Cli.Infrastructure;

namespace Hangar.Cli.Commands.Certificates;

internal static class CertificatesCommand
{
    public static Command Create()
    {
        // PEM alone on stdout, so `hangar certificates ca > ca.pem` gives a file clients can use as their root.
        var ca = new Command("ca", "Print the platform CA certificate (PEM) that Postgres and S3 server certificates chain to").Runs(async (context, ct) =>
        {
            var info = await context.Client.CertificateAuthorityAsync(ct);
            context.Out.Write(info, i => Console.Out.Write(i.Pem));
            return 0;
        });
        return new Command("certificates", "Show the platform's TLS certificates").With(ca);
    }
}
