using DotMac.ServiceDefaults.Auth;
using Microsoft.IdentityModel.Tokens;

namespace DotMac.Identity.Keys;

/// <summary>Identity validates its own tokens from its key table, not over HTTP to itself.</summary>
public sealed class LocalJwksSource(SigningKeyRing keys) : IJwksSource
{
    public Task<JsonWebKeySet> FetchAsync(CancellationToken cancellationToken) => keys.JwksAsync(cancellationToken);
}
