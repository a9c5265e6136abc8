namespace DotMac.Identity.Data;

/// <summary>A tenant as identity knows it from platform's events.</summary>
public sealed record TenantRow(Guid Id, string Slug, string Name, string Plan, string Status);
