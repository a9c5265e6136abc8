namespace DotMac.Gateway.Security;

/// <summary>"Gateway" in configuration: who may call from browsers, how much, how big and how long.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Origins of the staff and customer portals allowed to call from a browser.</summary>
    public string[] CorsOrigins { get; set; } = [];

    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Largest request body forwarded; larger ones are answered 413 without reaching a service.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Session affinity per service ("Cookie", "ArrCookie"; "HashCookie" is rewritten, see AffinityGuard).</summary>
    public Dictionary<string, string> SessionAffinity { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where the portals' static build is; by default the "portals" folder beside the gateway.</summary>
    public string? PortalsRoot { get; set; }
}

public sealed class RateLimitOptions
{
    /// <summary>Credential-checking endpoints (logins, token, password changes), per client IP.</summary>
    public int LoginPerMinute { get; set; } = 10;

    /// <summary>Other anonymous requests (refresh, discovery), per client IP.</summary>
    public int AnonymousPerMinute { get; set; } = 120;

    /// <summary>Authenticated requests, per user or API client, by the tenant's plan.</summary>
    public Dictionary<string, PlanLimit> Plans { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["starter"] = new() { PerSecond = 10, Burst = 50 },
        ["standard"] = new() { PerSecond = 50, Burst = 200 },
        ["enterprise"] = new() { PerSecond = 200, Burst = 1000 },
    };

    /// <summary>Platform staff and tokens without a plan.</summary>
    public PlanLimit Default { get; set; } = new() { PerSecond = 50, Burst = 200 };
}

/// <summary>A token bucket: refilled by PerSecond each second, holding at most Burst.</summary>
public sealed class PlanLimit
{
    public int PerSecond { get; set; }
    public int Burst { get; set; }
}
