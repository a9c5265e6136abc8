using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Problems;

namespace DotMac.Billing.Apis;

internal static class Callers
{
    /// <summary>
    /// The customer a caller is confined to: a customer (billing:read at own scope) sees only their own account,
    /// invoices and payments whatever they ask for; staff see what they ask for in their tenant.
    /// </summary>
    public static Guid? OwnCustomer(this Caller caller, Guid? asked = null)
    {
        if (caller.ScopeFor("billing", "read") != PermissionScope.Own)
            return asked;
        var own = caller.CustomerId ?? throw new ForbiddenException("Only a customer reads their own billing.", "permission.denied");
        if (asked is { } other && other != own)
            throw new ForbiddenException("A customer reads only their own billing.", "permission.denied");
        return own;
    }
}
