namespace DotMac.Gateway.Security;

/// <summary>Names of the policies routes refer to.</summary>
public static class GatewayPolicies
{
    public const string Anonymous = "Anonymous";
    public const string Authenticated = "Default";
    public const string LoginLimit = "login";
    public const string AnonymousLimit = "anonymous";
    public const string CallerLimit = "caller";
    public const string Portals = "portals";
}
