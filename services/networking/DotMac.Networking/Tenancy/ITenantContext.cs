namespace DotMac.Networking.Tenancy;

/// <summary>The tenant a request acts for. The one place that decides it: a header today, the JWT's claim with issue 4.</summary>
public interface ITenantContext
{
    Guid TenantId { get; }
}
