namespace DotMac.Identity.Features;

/// <summary>A staff user as read for the API; roles space-separated.</summary>
public sealed record UserRow(Guid Id, Guid? TenantId, string Email, string DisplayName, string Status, DateTime CreatedAt, string Roles);
