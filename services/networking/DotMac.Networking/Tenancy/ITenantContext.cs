namespace DotMac.Networking.Tenancy;

/// <summary>The tenant a request acts for, decided in one place: <see cref="CallerTenantContext"/> (the validated token).</summary>
public interface ITenantContext
{
    Guid TenantId { get; }
}
