using DotMac.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http;

namespace DotMac.Networking.Tenancy;

/// <summary>
/// The tenant of the validated token: its home tenant, or for platform staff (global scope) the X-Tenant-Id they name.
/// A tenant's token naming another tenant is refused by <see cref="Caller"/> (403), as it is at the gateway.
/// </summary>
internal sealed class CallerTenantContext(IHttpContextAccessor accessor) : ITenantContext
{
    public Guid TenantId => Caller.From(accessor.HttpContext ?? throw new InvalidOperationException("No request to take the tenant from.")).TenantId;
}
