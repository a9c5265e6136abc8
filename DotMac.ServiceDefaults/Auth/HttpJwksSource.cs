using DotMac.ServiceDefaults.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace DotMac.ServiceDefaults.Auth;

/// <summary>Identity's /.well-known/jwks.json, from DotMac:Auth:JwksUri or services:identity:http:0.</summary>
public sealed class HttpJwksSource(IHttpClientFactory clients, IOptions<AuthOptions> options, IConfiguration configuration) : IJwksSource
{
    public const string ClientName = "jwks";

    public async Task<JsonWebKeySet> FetchAsync(CancellationToken cancellationToken)
    {
        var uri = options.Value.JwksUri
            ?? new Uri(ServiceEndpoints.Resolve(configuration, "identity"), "/.well-known/jwks.json");
        using var client = clients.CreateClient(ClientName);
        var json = await client.GetStringAsync(uri, cancellationToken);
        return new JsonWebKeySet(json);
    }
}
