using System.Security.Claims;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http;

namespace DotMac.ServiceDefaults.Auth;

/// <summary>
/// The authenticated caller of a request, read from its validated access token: who, of which tenant, with which
/// permissions. Handlers take it as a parameter; it is the one place that answers "which tenant does this request
/// act on" (<see cref="TenantId"/>), so every query can filter by it.
/// </summary>
public sealed class Caller
{
    Caller(string subject, CallerKind kind, Guid? homeTenantId, Guid? actingTenantId, Guid? customerId,
        IReadOnlyList<string> roles, IReadOnlyList<Permission> permissions, string? plan, string? clientId)
    {
        Subject = subject;
        Kind = kind;
        HomeTenantId = homeTenantId;
        ActingTenantId = actingTenantId;
        CustomerId = customerId;
        Roles = roles;
        Permissions = permissions;
        Plan = plan;
        ClientId = clientId;
    }

    public string Subject { get; }
    public CallerKind Kind { get; }

    /// <summary>The tenant the token belongs to; null for platform staff (super admins).</summary>
    public Guid? HomeTenantId { get; }

    /// <summary>The tenant this request acts on: the home tenant, or for a global caller the X-Tenant-Id it sent.</summary>
    public Guid? ActingTenantId { get; }

    public Guid? CustomerId { get; }
    public IReadOnlyList<string> Roles { get; }
    public IReadOnlyList<Permission> Permissions { get; }
    public string? Plan { get; }
    public string? ClientId { get; }

    public Guid UserId => Guid.TryParse(Subject, out var id) ? id : Guid.Empty;

    public bool IsGlobal => Permissions.Any(p => p.Scope == PermissionScope.Global);

    /// <summary>The tenant every query of this request filters by; a global caller without X-Tenant-Id has none.</summary>
    public Guid TenantId => ActingTenantId
        ?? throw new ValidationFailedException(TokenClaims.TenantHeader, "A platform caller must name the tenant it acts on in the X-Tenant-Id header.");

    /// <summary>The widest scope the caller holds for an action on a resource, or null if none.</summary>
    public PermissionScope? ScopeFor(string resource, string action)
    {
        PermissionScope? best = null;
        foreach (var permission in Permissions)
        {
            if (permission.Matches(resource, action) && (best is null || permission.Scope > best))
                best = permission.Scope;
        }
        return best;
    }

    /// <summary>The caller's scope for the action, or 403 if it has none (or less than <paramref name="atLeast"/>).</summary>
    public PermissionScope Require(string resource, string action, PermissionScope atLeast = PermissionScope.Own)
    {
        var scope = ScopeFor(resource, action);
        if (scope is null || scope < atLeast)
            throw new ForbiddenException($"The caller may not {action} {resource}.", "permission.denied");
        return scope.Value;
    }

    /// <summary>
    /// The customer a read of <paramref name="resource"/> is confined to: a customer (read at own scope) sees only their own
    /// rows whatever they ask for (asking for another's is 403); staff get what they asked for, in their tenant.
    /// </summary>
    public Guid? OwnCustomer(string resource, Guid? asked = null)
    {
        if (ScopeFor(resource, "read") != PermissionScope.Own)
            return asked;
        var own = CustomerId ?? throw new ForbiddenException($"Only a customer reads their own {resource}.", "permission.denied");
        if (asked is { } other && other != own)
            throw new ForbiddenException($"A customer reads only their own {resource}.", "permission.denied");
        return own;
    }

    /// <summary>Minimal APIs bind a <see cref="Caller"/> parameter through this.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult<Caller?>(From(context));

    public static Caller From(HttpContext context)
    {
        if (context.Items.TryGetValue(typeof(Caller), out var cached) && cached is Caller caller)
            return caller;
        caller = FromPrincipal(context.User, context.Request.Headers[TokenClaims.TenantHeader].ToString());
        context.Items[typeof(Caller)] = caller;
        return caller;
    }

    public static Caller FromPrincipal(ClaimsPrincipal principal, string? tenantHeader)
    {
        if (principal.Identity?.IsAuthenticated != true)
            throw new UnauthenticatedException();
        var subject = principal.FindFirstValue(TokenClaims.Subject) ?? throw new UnauthenticatedException();
        var kind = principal.FindFirstValue(TokenClaims.Kind) switch
        {
            "customer" => CallerKind.Customer,
            "client" => CallerKind.Client,
            _ => CallerKind.Staff,
        };
        var home = Guid.TryParse(principal.FindFirstValue(TokenClaims.Tenant), out var t) ? t : (Guid?)null;
        Guid? customer = Guid.TryParse(principal.FindFirstValue(TokenClaims.Customer), out var c) ? c : null;
        var permissions = principal.FindAll(TokenClaims.Permission)
            .Select(p => Permission.TryParse(p.Value, out var parsed) ? parsed : null)
            .OfType<Permission>().ToList();
        var roles = principal.FindAll(TokenClaims.Role).Select(r => r.Value).ToList();
        var isGlobal = permissions.Any(p => p.Scope == PermissionScope.Global);
        return new Caller(subject, kind, home, ActingTenant(home, isGlobal, tenantHeader), customer, roles, permissions,
            principal.FindFirstValue(TokenClaims.Plan), principal.FindFirstValue(TokenClaims.ClientId));
    }

    // A tenant caller acts on its own tenant only; naming another one is refused rather than ignored, so a client
    // bug shows. A global caller picks the tenant with the header.
    static Guid? ActingTenant(Guid? home, bool isGlobal, string? header)
    {
        if (string.IsNullOrEmpty(header))
            return home;
        if (!Guid.TryParse(header, out var named))
            throw new ValidationFailedException(TokenClaims.TenantHeader, "X-Tenant-Id must be a UUID.");
        if (isGlobal || named == home)
            return named;
        throw new ForbiddenException("The token does not grant access to that tenant.", "tenant.forbidden");
    }
}
