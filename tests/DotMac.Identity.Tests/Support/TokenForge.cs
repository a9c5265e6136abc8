using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using DotMac.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DotMac.Identity.Tests.Support;

/// <summary>
/// Tokens an attacker (or a broken client) would present. Where the point is one wrong property, everything else is
/// right: signed with identity's real key, for the real issuer and audience, unless that is what is being broken.
/// </summary>
public static class TokenForge
{
    public const string Issuer = "https://identity.dotmac.local";
    public const string Audience = "dotmac-api";

    public static string Sign(SigningCredentials credentials, IEnumerable<Claim> claims, string issuer = Issuer, string audience = Audience,
        DateTime? notBefore = null, DateTime? expires = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore ?? now,
            NotBefore = notBefore ?? now,
            Expires = expires ?? now.AddMinutes(15),
            TokenType = "at+jwt",
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = credentials,
        });
    }

    /// <summary>A super admin's claims: what a forger would want most.</summary>
    public static Claim[] SuperAdmin() =>
    [
        new(TokenClaims.Subject, Guid.NewGuid().ToString()),
        new(TokenClaims.Kind, "staff"),
        new(TokenClaims.Role, "super_admin"),
        new(TokenClaims.Permission, "*:*:global"),
    ];

    /// <summary>A key that is not identity's, optionally claiming the kid of a real one.</summary>
    public static SigningCredentials ForeignKey(string kid) =>
        new(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256);

    /// <summary>header.payload. with "alg": "none", the classic downgrade.</summary>
    public static string Unsigned(string kid)
    {
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes($$"""{"alg":"none","typ":"at+jwt","kid":"{{kid}}"}"""));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(
            $$"""{"sub":"{{Guid.NewGuid()}}","kind":"staff","perm":"*:*:global","iss":"{{Issuer}}","aud":"{{Audience}}","iat":{{now}},"nbf":{{now}},"exp":{{now + 600}}}"""));
        return $"{header}.{payload}.";
    }

    /// <summary>A valid token with one byte of its signature changed.</summary>
    public static string Tampered(string token)
    {
        var parts = token.Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[10] ^= 0x5a;
        return $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
    }

    public static JsonWebToken Read(string token) => new(token);

    /// <summary>Every kind of bad token, by name, each built from identity's real key and one genuine token.</summary>
    public static Dictionary<string, string> AllForged(SigningCredentials real, string genuineToken) => new()
    {
        ["tampered signature"] = Tampered(genuineToken),
        ["alg none"] = Unsigned(real.Key.KeyId),
        ["expired"] = Sign(real, SuperAdmin(), notBefore: DateTime.UtcNow.AddMinutes(-30), expires: DateTime.UtcNow.AddMinutes(-10)),
        ["wrong issuer"] = Sign(real, SuperAdmin(), issuer: "https://evil.example"),
        ["wrong audience"] = Sign(real, SuperAdmin(), audience: "someone-else"),
        ["unknown kid"] = Sign(ForeignKey("not-a-real-kid"), SuperAdmin()),
        ["foreign key, real kid"] = Sign(ForeignKey(real.Key.KeyId), SuperAdmin()),
        ["not a jwt"] = "a.b.c",
    };
}
