namespace DotMac.Networking.Subscribers;

internal sealed class SubscriberRow
{
    public Guid Id { get; init; }
    public Guid TenantId { get; init; }
    public Guid ServiceId { get; init; }
    public string Username { get; init; } = "";
    public string Password { get; init; } = "";
    public string Address { get; init; } = "";
    public int DownloadKbps { get; init; }
    public int UploadKbps { get; init; }
    public int? BurstDownloadKbps { get; init; }
    public int? BurstUploadKbps { get; init; }
    public int? BurstSeconds { get; init; }
    public bool Suspended { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

/// <summary>What suspended subscribers of a tenant get: "reject", or "walled_garden" (limited rate, an address list the router redirects).</summary>
public sealed record SubscriberPolicy(string SuspendedAction = "reject", string WalledGardenRate = "256k/256k", string WalledGardenList = "walled-garden");

/// <summary>A subscriber's network profile as staff see it (the password only through the credentials endpoint).</summary>
public sealed record SubscriberResponse(Guid Id, Guid ServiceId, string Username, string Address, string RateLimit, bool Suspended,
    IReadOnlyList<RadiusAttribute> Replies, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record SubscriberCredentials(string Username, string Password);

public sealed record RadiusAttribute(string Attribute, string Op, string Value);
