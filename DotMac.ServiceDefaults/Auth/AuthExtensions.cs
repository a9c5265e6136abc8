using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DotMac.ServiceDefaults.Auth;

public static class AuthExtensions
{
    /// <summary>
    /// Bearer authentication with DotMac's access tokens: ES256 only, issuer, audience and lifetime checked, keys
    /// from identity's JWKS (cached, refreshed on an unknown kid). The gateway validates the same way, and every
    /// service validates again behind it (defense in depth).
    /// </summary>
    public static IHostApplicationBuilder AddServiceAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IJwksSource, HttpJwksSource>();
        builder.Services.AddSingleton<JwksCache>();
        builder.Services.AddSingleton<ValidatedTokenCache>();
        builder.Services.AddHttpClient(HttpJwksSource.ClientName, c => c.Timeout = TimeSpan.FromSeconds(5));

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, JwksCache, ValidatedTokenCache>((bearer, auth, keys, validated) => Configure(bearer, auth.Value, keys, validated));
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>Authentication then authorization, after the shared middleware of MapDefaultEndpoints.</summary>
    public static WebApplication UseServiceAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The endpoints need a caller holding the permission (any scope); 401 without a token, 403 without it.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string resource, string action) where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization();
        builder.WithMetadata(new OpenApi.PermissionMetadata(resource, action));
        builder.AddEndpointFilter(async (context, next) =>
        {
            Caller.From(context.HttpContext).Require(resource, action);
            return await next(context);
        });
        return builder;
    }

    static void Configure(JwtBearerOptions bearer, AuthOptions auth, JwksCache keys, ValidatedTokenCache validated)
    {
        bearer.MapInboundClaims = false;
        bearer.TokenHandlers.Clear();
        bearer.TokenHandlers.Add(new CachingJsonWebTokenHandler(validated) { MapInboundClaims = false });
        bearer.RequireHttpsMetadata = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            ValidAlgorithms = [TokenClaims.Algorithm],
            ValidTypes = ["at+jwt", "JWT"],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = auth.ClockSkew,
            NameClaimType = TokenClaims.Subject,
            RoleClaimType = TokenClaims.Role,
            IssuerSigningKeyResolver = (_, _, kid, _) => kid is null ? keys.Current : keys.Current.Where(k => k.KeyId == kid),
        };
        bearer.Events = new JwtBearerEvents
        {
            OnMessageReceived = async context =>
            {
                // Validation itself is synchronous; make sure the key cache knows the token's kid before it runs.
                var header = context.Request.Headers.Authorization.ToString();
                if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                    return;
                var token = header["Bearer ".Length..].Trim();
                context.Token = token;
                // A token validated before names a kid the cache knows; only a new one needs its kid read.
                await keys.EnsureAsync(validated.Contains(token) ? null : KidOf(token), context.HttpContext.RequestAborted);
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var error = context.AuthenticateFailure is null ? "" : " error=\"invalid_token\"";
                context.Response.Headers.WWWAuthenticate = $"Bearer{error}";
                await WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthenticated",
                    context.AuthenticateFailure is null ? "A bearer access token is required." : "The access token is not valid.");
            },
            OnForbidden = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
                "The access token does not allow this request."),
        };
    }

    static string? KidOf(string token)
    {
        try
        {
            return new JsonWebToken(token).Kid;
        }
        catch (ArgumentException)
        {
            return null; // not a JWT at all: validation rejects it
        }
    }

    static async Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
