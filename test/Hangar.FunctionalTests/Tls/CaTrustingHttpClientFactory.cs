using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;

namespace Hangar.FunctionalTests.Tls;

/// <summary>
/// The AWS SDK for .NET's HTTP client trusting one root only (chain, host name and all), as an app holding the platform
/// CA would configure it: the SDK does not read AWS_CA_BUNDLE itself.
/// </summary>
internal sealed class CaTrustingHttpClientFactory(string caFile) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var root = X509CertificateLoader.LoadCertificateFromFile(caFile);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { root },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        return new HttpClient(handler);
    }
}
