using DotMac.ServiceDefaults.Data;
using DotMac.Skeleton.Data;

namespace DotMac.Skeleton.Features;

/// <summary>A widget as the API shows it.</summary>
public sealed record Widget(Guid Id, string Code, string Name, DateTimeOffset CreatedAt)
{
    public static Widget From(WidgetRow row) => new(row.Id, row.Code, row.Name, Times.Utc(row.CreatedAt));
}
