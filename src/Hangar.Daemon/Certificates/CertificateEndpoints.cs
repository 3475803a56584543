using Hangar.Client.Models;
using Hangar.Core.Tls;
using Hangar.Daemon.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hangar.Daemon.Certificates;

internal static class CertificateEndpoints
{
    public static void MapCertificateEndpoints(this IEndpointRouteBuilder routes)
    {
        // The certificate is public, but behind the token like every route: it also tells where the data dir is.
        routes.MapGet("/v1/certificates/ca", (CertificateAuthority authority, DataDirectory data) =>
            new CertificateAuthorityInfo(authority.CertificatePem, authority.Fingerprint, data.CaCertificate, authority.NotAfter))
            .WithTags("certificates");
    }
}
