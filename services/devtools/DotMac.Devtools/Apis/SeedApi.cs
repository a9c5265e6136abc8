using DotMac.Devtools.Seed;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DotMac.Devtools.Apis;

/// <summary>
/// Demo data for platform staff (global scope), the same seeder as `devtools seed`, run in the background with the
/// caller's token against the gateway (through which these are /api/v1/devtools/seed...):
///   POST /api/v1/seed {seed?, customers?}   202 and the run (409 while the same seed runs)
///   GET  /api/v1/seed?limit=&amp;offset=        the latest runs, a page
///   GET  /api/v1/seed/{id}                  a run: running, succeeded with its report and logins, or failed with why
/// </summary>
public static class SeedApi
{
    public sealed record SeedRequest(int? Seed = null, int? Customers = null);

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/seed").WithTags("Seed").RequireAuthorization();
        group.MapPost("/", StartAsync).WithSummary("Seeds a demo ISP through the gateway (platform staff).");
        group.MapGet("/", RecentAsync).WithSummary("The latest seed runs.");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("One seed run and its report.");
    }

    static async Task<Accepted<SeedRun>> StartAsync(SeedRequest body, HttpContext context, SeedRunner runner, CancellationToken cancellationToken)
    {
        var caller = PlatformStaff(context);
        var options = new SeedOptions(body.Seed ?? SeedOptions.DefaultSeed, body.Customers ?? SeedOptions.DefaultCustomers);
        options.Validate();
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim()
            : throw new UnauthenticatedException();
        RequireTimeLeft(token, options);
        var id = await runner.StartAsync(options, token, caller.Subject, cancellationToken);
        var run = await runner.GetAsync(id, cancellationToken) ?? throw new NotFoundException("Seed run", id);
        return TypedResults.Accepted($"/api/v1/seed/{id}", run);
    }

    static async Task<Ok<Page<SeedRun>>> RecentAsync(HttpContext context, SeedRunner runner, CancellationToken cancellationToken, int limit = 20, int offset = 0)
    {
        PlatformStaff(context);
        OffsetPaging.Validate(limit, offset);
        return TypedResults.Ok(await runner.RecentAsync(limit, offset, cancellationToken));
    }

    static async Task<Ok<SeedRun>> GetAsync(Guid id, HttpContext context, SeedRunner runner, CancellationToken cancellationToken)
    {
        PlatformStaff(context);
        return TypedResults.Ok(await runner.GetAsync(id, cancellationToken) ?? throw new NotFoundException("Seed run", id));
    }

    /// <summary>
    /// The run acts with the caller's access token in the background: refused (422) when the token would run out before a
    /// run of this size is done (about 8 customers a second here, with a margin), so the caller logs in again first.
    /// </summary>
    static void RequireTimeLeft(string token, SeedOptions options)
    {
        var needed = TimeSpan.FromSeconds(60 + options.Customers / 4.0);
        var expires = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).ValidTo;
        if (expires - DateTime.UtcNow < needed)
            throw new ValidationFailedException("Authorization",
                $"The access token runs out at {expires:HH:mm:ss} UTC; a run of {options.Customers} customers needs it for up to {needed.TotalMinutes:0.#} minutes. Log in again.");
    }

    /// <summary>Seeding creates a tenant and acts in it: only a caller of global scope may.</summary>
    static Caller PlatformStaff(HttpContext context)
    {
        var caller = Caller.From(context);
        return caller.IsGlobal ? caller : throw new ForbiddenException("Seeding demo data is for platform staff (global scope).", "seed.platform_staff_only");
    }
}
