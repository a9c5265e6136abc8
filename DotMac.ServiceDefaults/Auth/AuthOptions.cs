namespace DotMac.ServiceDefaults.Auth;

/// <summary>
/// "DotMac:Auth" in configuration: who issues DotMac's access tokens, for whom, and where its public keys are.
/// Identity signs with these values and every other process validates with the same ones.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "DotMac:Auth";

    /// <summary>The "iss" of every access token.</summary>
    public string Issuer { get; set; } = "https://identity.dotmac.local";

    /// <summary>The "aud" of every access token: the DotMac API as a whole (the gateway and the services behind it).</summary>
    public string Audience { get; set; } = "dotmac-api";

    /// <summary>The JWKS document; by default identity's, from services:identity:http:0.</summary>
    public Uri? JwksUri { get; set; }

    /// <summary>How long fetched keys are trusted before they are fetched again. Identity publishes a new key
    /// longer than this before it signs with it, so a cache this old still knows every key in use.</summary>
    public TimeSpan JwksCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An unknown kid fetches the keys at once, but no more often than this (forged kids must not
    /// turn into a flood of requests to identity).</summary>
    public TimeSpan JwksMinimumRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Tolerance for clock differences between identity and the validating process.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
