using Microsoft.IdentityModel.Tokens;

namespace DotMac.ServiceDefaults.Auth;

/// <summary>Where the public signing keys come from: identity's JWKS over HTTP, or (inside identity) its key store.</summary>
public interface IJwksSource
{
    Task<JsonWebKeySet> FetchAsync(CancellationToken cancellationToken);
}
