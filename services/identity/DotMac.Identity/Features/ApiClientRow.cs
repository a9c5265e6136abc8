namespace DotMac.Identity.Features;

/// <summary>A partner API client; its scopes space-separated, as OAuth writes them (Dapper cannot bind text[] to a record).</summary>
public sealed record ApiClientRow(Guid Id, Guid TenantId, string ClientId, string Name, string SecretHash, string Scopes, string Status, DateTime CreatedAt)
{
    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
