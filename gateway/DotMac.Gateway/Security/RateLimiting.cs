using System.Globalization;
using System.Threading.RateLimiting;
using DotMac.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace DotMac.Gateway.Security;

/// <summary>
/// Three policies: logins per client IP (fixed window, 10 a minute by default), other anonymous calls per IP, and
/// authenticated calls per user or API client with a token bucket sized by the tenant's plan (the "plan" claim).
/// Refusals are 429 problem details with Retry-After.
/// </summary>
public static class RateLimiting
{
    public static void AddGatewayRateLimiting(this IServiceCollection services, RateLimitOptions limits)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = OnRejectedAsync;
            o.AddPolicy(GatewayPolicies.LoginLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                $"login:{ClientIp(context)}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.LoginPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                }));
            o.AddPolicy(GatewayPolicies.AnonymousLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                $"anonymous:{ClientIp(context)}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.AnonymousPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                }));
            o.AddPolicy(GatewayPolicies.CallerLimit, context =>
            {
                if (context.User.Identity?.IsAuthenticated != true)
                    return RateLimitPartition.GetFixedWindowLimiter($"anonymous:{ClientIp(context)}", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limits.AnonymousPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                    });
                var plan = context.User.FindFirst(TokenClaims.Plan)?.Value;
                var limit = plan is not null && limits.Plans.TryGetValue(plan, out var planned) ? planned : limits.Default;
                // One bucket per caller: a user, or a partner's API client (its sub is the client).
                var key = $"caller:{context.User.FindFirst(TokenClaims.Tenant)?.Value}:{context.User.FindFirst(TokenClaims.Subject)?.Value}:{plan}";
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limit.Burst, TokensPerPeriod = limit.PerSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0, AutoReplenishment = true,
                });
            });
        });
    }

    static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"The rate limit of this route was reached; retry after {seconds} s.",
            },
        });
    }
}
