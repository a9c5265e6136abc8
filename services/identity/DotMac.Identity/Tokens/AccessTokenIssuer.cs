using System.Security.Claims;
using System.Security.Cryptography;
using DotMac.Identity.Extensions;
using DotMac.Identity.Keys;
using DotMac.ServiceDefaults.Auth;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DotMac.Identity.Tokens;

/// <summary>Signs 15-minute access tokens (ES256, kid in the header, typ at+jwt) with the ring's active key.</summary>
public sealed class AccessTokenIssuer(SigningKeyRing keys, IOptions<IdentityOptions> identity, IOptions<AuthOptions> auth, TimeProvider time)
{
    readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TimeSpan Lifetime => identity.Value.AccessTokenLifetime;

    public async Task<string> IssueAsync(TokenSubject subject, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new List<Claim>
        {
            new(TokenClaims.Subject, subject.Id.ToString()),
            new(TokenClaims.Kind, subject.Kind.ToString().ToLowerInvariant()),
            new(JwtRegisteredClaimNames.Jti, Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16))),
        };
        if (subject.TenantId is { } tenant)
            claims.Add(new(TokenClaims.Tenant, tenant.ToString()));
        if (subject.CustomerId is { } customer)
            claims.Add(new(TokenClaims.Customer, customer.ToString()));
        if (subject.Plan is not null)
            claims.Add(new(TokenClaims.Plan, subject.Plan));
        if (subject.ClientId is not null)
            claims.Add(new(TokenClaims.ClientId, subject.ClientId));
        if (subject.Scopes is { Count: > 0 } scopes)
            claims.Add(new(TokenClaims.Scope, string.Join(' ', scopes)));
        claims.AddRange(subject.Roles.Select(r => new Claim(TokenClaims.Role, r)));
        claims.AddRange(subject.Permissions.Select(p => new Claim(TokenClaims.Permission, p.ToString())));

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Value.Issuer,
            Audience = auth.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            TokenType = "at+jwt",
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = await keys.SigningCredentialsAsync(cancellationToken),
        });
    }
}
