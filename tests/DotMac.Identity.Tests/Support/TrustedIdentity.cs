using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using DotMac.Identity.Tokens;
using DotMac.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace DotMac.Identity.Tests.Support;

/// <summary>
/// One real identity per test assembly whose tokens the service under test validates (started on first use, stopped
/// by the assembly's set-up fixture), and tokens from it for whatever caller a test needs.
/// </summary>
public static class TrustedIdentity
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static IdentityHost? _host;

    public static async Task<IdentityHost> HostAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _host ??= await IdentityHost.StartAsync("trusted_identity");
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async ValueTask StopAsync()
    {
        if (_host is { } host)
            await host.DisposeAsync();
        _host = null;
    }

    /// <summary>A staff token of <paramref name="tenant"/> (none: platform staff) holding exactly <paramref name="permissions"/>.</summary>
    public static async Task<string> TokenAsync(Guid? tenant, string role, IReadOnlyList<Permission> permissions, Guid? customerId = null)
    {
        var identity = await HostAsync();
        var issuer = identity.App.App.Services.GetRequiredService<AccessTokenIssuer>();
        var kind = customerId is null ? CallerKind.Staff : CallerKind.Customer;
        return await issuer.IssueAsync(new TokenSubject(customerId ?? Guid.NewGuid(), kind, tenant, customerId, [role], [.. permissions], "standard"),
            CancellationToken.None);
    }

    /// <summary>Permissions of one resource at tenant scope: ("network", "read", "write").</summary>
    public static Permission[] TenantPermissions(string resource, params string[] actions) =>
        [.. actions.Select(a => new Permission(resource, a, PermissionScope.Tenant))];
}

/// <summary>Calls a service as a given tenant's staff, with a token of the trusted identity per tenant.</summary>
public sealed class TenantClient(HttpClient client, string role, IReadOnlyList<Permission> permissions)
{
    readonly ConcurrentDictionary<Guid, Task<string>> _tokens = new();

    public HttpClient Http => client;

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Guid tenant, object? body = null,
        IReadOnlyDictionary<string, string>? headers = null) =>
        await SendAsync(method, path, await _tokens.GetOrAdd(tenant, t => TrustedIdentity.TokenAsync(t, role, permissions)), body, headers: headers);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null, Guid? tenantHeader = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (tenantHeader is { } named)
            request.Headers.Add(TokenClaims.TenantHeader, named.ToString());
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.Add(name, value);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        return await client.SendAsync(request);
    }
}
