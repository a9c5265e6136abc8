namespace DotMac.Gateway.Security;

/// <summary>Names of the policies routes refer to.</summary>
public static class GatewayPolicies
{
    public const string Anonymous = "Anonymous";
    public const string Authenticated = "Default";

    /// <summary>Callers with a global-scope permission (platform staff): ops's dead letters and scheduler hold every tenant's messages.</summary>
    public const string PlatformStaff = "PlatformStaff";

    /// <summary>Services whose whole API is for platform staff.</summary>
    public static readonly string[] PlatformServices = ["ops"];
    public const string LoginLimit = "login";
    public const string AnonymousLimit = "anonymous";
    public const string CallerLimit = "caller";
    public const string Portals = "portals";
}
