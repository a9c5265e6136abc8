using DotMac.Identity.Keys;
using DotMac.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DotMac.Identity.Apis;

/// <summary>
/// OpenID Connect discovery and the public keys, anonymous:
///   GET /.well-known/openid-configuration
///   GET /.well-known/jwks.json
/// </summary>
public static class WellKnownApi
{
    public static void MapWellKnownApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/.well-known").AllowAnonymous().WithTags("discovery");
        group.MapGet("/openid-configuration", Discovery).WithSummary("OpenID Connect discovery: issuer, token endpoint, JWKS");
        group.MapGet("/jwks.json", Jwks).WithSummary("The public keys access tokens are signed with (JWKS)");
    }

    static Ok<Dictionary<string, object>> Discovery(HttpRequest request, IOptions<AuthOptions> auth)
    {
        // Endpoints are given as the caller reached us, so they are right through the gateway and directly.
        var prefix = request.Headers["X-Forwarded-Prefix"].ToString();
        var root = $"{request.Scheme}://{request.Host}{prefix}";
        return TypedResults.Ok(new Dictionary<string, object>
        {
            ["issuer"] = auth.Value.Issuer,
            ["jwks_uri"] = $"{root}/.well-known/jwks.json",
            ["token_endpoint"] = $"{root}/api/v1/auth/token",
            ["grant_types_supported"] = new[] { "client_credentials", "password", "refresh_token" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post" },
            ["id_token_signing_alg_values_supported"] = new[] { TokenClaims.Algorithm },
            ["response_types_supported"] = new[] { "token" },
            ["subject_types_supported"] = new[] { "public" },
            ["claims_supported"] = new[] { TokenClaims.Subject, TokenClaims.Tenant, TokenClaims.Kind, TokenClaims.Customer, TokenClaims.Role, TokenClaims.Permission, TokenClaims.Scope, TokenClaims.Plan },
        });
    }

    static async Task<IResult> Jwks(HttpContext context, SigningKeyRing keys, CancellationToken cancellationToken)
    {
        var set = await keys.PublishedAsync(cancellationToken);
        // Short public caching: the next key is published well before it signs, so a minute's staleness is harmless.
        context.Response.Headers.CacheControl = "public, max-age=60";
        return TypedResults.Json(new { keys = set.Select(SigningKeyRing.PublicJwk).Select(k => new
        {
            kty = k.Kty, crv = k.Crv, x = k.X, y = k.Y, kid = k.Kid, use = k.Use, alg = k.Alg,
        }) });
    }
}
