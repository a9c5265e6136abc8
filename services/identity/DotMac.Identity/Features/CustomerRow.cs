namespace DotMac.Identity.Features;

/// <summary>A customer with its portal account's id and status (null without one); address as jsonb text.</summary>
public sealed record CustomerRow(Guid Id, Guid TenantId, string Kind, string Name, string Email, string? Phone, string Address,
    Guid? CreatedBy, DateTime CreatedAt, string? PortalId, string? PortalStatus);
