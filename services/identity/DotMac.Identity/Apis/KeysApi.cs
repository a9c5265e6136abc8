using DotMac.Identity.Keys;
using DotMac.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DotMac.Identity.Apis;

/// <summary>
/// Signing keys, for platform operators (global scope):
///   GET  /api/v1/keys          the published keys and their schedule
///   POST /api/v1/keys/rotate   publish the next key now; it signs after the publication lead
/// </summary>
public static class KeysApi
{
    public sealed record KeyInfo(string Kid, string Algorithm, DateTimeOffset CreatedAt, DateTimeOffset ActivatesAt, DateTimeOffset? RetiresAt, DateTimeOffset? ExpiresAt);

    public static void MapKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/keys").RequirePermission("keys", "write").WithTags("keys");
        group.MapGet("/", List).WithSummary("The token signing keys (platform staff)");
        group.MapPost("/rotate", Rotate).WithSummary("Rotate the signing key (the old one keeps validating until it retires)");
    }

    static async Task<Ok<List<KeyInfo>>> List(Caller caller, SigningKeyRing keys, CancellationToken cancellationToken)
    {
        caller.Require("keys", "write", PermissionScope.Global);
        return TypedResults.Ok((await keys.PublishedAsync(cancellationToken)).Select(Info).ToList());
    }

    static async Task<Ok<KeyInfo>> Rotate(Caller caller, SigningKeyRing keys, CancellationToken cancellationToken)
    {
        caller.Require("keys", "write", PermissionScope.Global);
        return TypedResults.Ok(Info(await keys.RotateAsync(cancellationToken)));
    }

    static KeyInfo Info(SigningKeyRow row) => new(row.Kid, row.Algorithm, Utc(row.CreatedAt), Utc(row.ActivatesAt),
        row.RetiresAt is { } r ? Utc(r) : null, row.ExpiresAt is { } e ? Utc(e) : null);

    static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
