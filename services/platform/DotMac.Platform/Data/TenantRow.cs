namespace DotMac.Platform.Data;

/// <summary>A row of tenants; settings as the jsonb text.</summary>
public sealed record TenantRow(Guid Id, string Slug, string Name, string Plan, string Status, string Settings, int SettingsVersion,
    DateTime CreatedAt, DateTime UpdatedAt);
