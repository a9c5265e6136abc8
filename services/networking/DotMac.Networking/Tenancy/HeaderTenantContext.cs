using Microsoft.AspNetCore.Http;

namespace DotMac.Networking.Tenancy;

/// <summary>Reads the tenant from the X-Tenant-Id header until the gateway's JWT carries it (issue 4).</summary>
internal sealed class HeaderTenantContext(IHttpContextAccessor accessor) : ITenantContext
{
    public const string Header = "X-Tenant-Id";

    public Guid TenantId
    {
        get
        {
            var value = accessor.HttpContext?.Request.Headers[Header].ToString();
            if (string.IsNullOrEmpty(value))
                throw new BadHttpRequestException($"The {Header} header is required", StatusCodes.Status400BadRequest);
            return Guid.TryParse(value, out var tenant) && tenant != Guid.Empty
                ? tenant
                : throw new BadHttpRequestException($"The {Header} header must be a tenant id (a UUID)", StatusCodes.Status400BadRequest);
        }
    }
}
