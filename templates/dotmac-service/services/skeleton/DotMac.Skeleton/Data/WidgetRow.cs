namespace DotMac.Skeleton.Data;

/// <summary>A row of widgets, as <see cref="WidgetsSql"/> selects it.</summary>
public sealed record WidgetRow(Guid Id, Guid TenantId, string Code, string Name, string RequestHash, DateTime CreatedAt);
