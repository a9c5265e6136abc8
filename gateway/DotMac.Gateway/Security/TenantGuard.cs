using System.Text.RegularExpressions;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Problems;

namespace DotMac.Gateway.Security;

/// <summary>
/// Tenant enforcement at the front door: a tenant's token may not name another tenant, neither in X-Tenant-Id nor
/// in a /tenants/{id} path segment; only global scope may. The services filter by the token's tenant as well.
/// </summary>
public sealed partial class TenantGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var caller = Caller.From(context); // throws 403 for a foreign X-Tenant-Id, 422 for a malformed one
            if (!caller.IsGlobal)
            {
                foreach (Match match in TenantSegment().Matches(context.Request.Path.Value ?? ""))
                {
                    if (!Guid.TryParse(match.Groups[1].Value, out var named) || named != caller.HomeTenantId)
                        throw new ForbiddenException("The token does not grant access to that tenant.", "tenant.forbidden");
                }
            }
        }
        await next(context);
    }

    [GeneratedRegex("/tenants/([0-9a-fA-F-]{36})(?:/|$)")]
    private static partial Regex TenantSegment();
}
