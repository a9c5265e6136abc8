using DotMac.Identity.Data;

namespace DotMac.Identity.Features;

/// <summary>The two kinds of password holder, and the statements that keep their lockout and password state.</summary>
public sealed record CredentialKind(string Name, string ById, string Failure, string Success, string SetPassword)
{
    public static readonly CredentialKind Staff = new("staff", CredentialsSql.StaffById, CredentialsSql.StaffFailure,
        CredentialsSql.StaffSuccess, CredentialsSql.StaffSetPassword);

    public static readonly CredentialKind Portal = new("customer", CredentialsSql.PortalById, CredentialsSql.PortalFailure,
        CredentialsSql.PortalSuccess, CredentialsSql.PortalSetPassword);
}
