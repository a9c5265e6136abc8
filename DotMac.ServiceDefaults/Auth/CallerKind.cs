namespace DotMac.ServiceDefaults.Auth;

/// <summary>Who holds a token: a staff user, a customer's portal account, or a partner's API client.</summary>
public enum CallerKind
{
    Staff,
    Customer,
    Client,
}
