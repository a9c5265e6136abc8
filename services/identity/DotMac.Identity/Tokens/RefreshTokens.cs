using System.Security.Cryptography;
using System.Text;
using Dapper;
using DotMac.Identity.Data;
using DotMac.Identity.Extensions;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace DotMac.Identity.Tokens;

/// <summary>
/// Opaque refresh tokens (32 random bytes; only their SHA-256 is stored). Every use rotates: the presented token is
/// spent and a new one of the same family is issued. A spent token presented again means two parties hold it, so the
/// whole family is revoked and both must log in again.
/// </summary>
public sealed class RefreshTokens(NpgsqlDataSource db, IOptions<IdentityOptions> options, TimeProvider time, ILogger<RefreshTokens> logger)
{
    internal static readonly System.Diagnostics.Metrics.Counter<long> Reuses =
        DotMacTelemetry.Meter.CreateCounter<long>("dotmac.identity.refresh_token_reuse", description: "Refresh tokens presented after they were spent");

    public async Task<string> IssueAsync(string subjectKind, Guid subjectId, Guid? tenantId, Guid? familyId, CancellationToken cancellationToken)
    {
        var raw = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(TokensSql.Insert, new
        {
            Id = Guid.CreateVersion7(),
            FamilyId = familyId ?? Guid.CreateVersion7(),
            TokenHash = Hash(raw),
            SubjectKind = subjectKind,
            SubjectId = subjectId,
            TenantId = tenantId,
            IssuedAt = now,
            ExpiresAt = now + options.Value.RefreshTokenLifetime,
        }, cancellationToken: cancellationToken));
        return raw;
    }

    /// <summary>Spends a token and returns it, or throws 401 invalid_grant (revoking its family if it was reused).</summary>
    public async Task<RefreshTokenRow> RedeemAsync(string raw, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RefreshTokenRow>(new CommandDefinition(TokensSql.FindForUpdate,
            new { TokenHash = Hash(raw) }, tx, cancellationToken: cancellationToken));
        if (row is null)
            throw Invalid("The refresh token is not known.");
        if (row.UsedAt is not null || row.RevokedAt is not null)
        {
            var revoked = await connection.ExecuteAsync(new CommandDefinition(TokensSql.RevokeFamily, new { Now = now, row.FamilyId }, tx, cancellationToken: cancellationToken));
            await tx.CommitAsync(cancellationToken);
            if (row.RevokedAt is null || revoked > 0)
            {
                Reuses.Add(1);
                logger.LogWarning("Refresh token of family {FamilyId} reused; revoked {Count} tokens of the family", row.FamilyId, revoked);
            }
            throw Invalid("The refresh token was already used; its family is revoked.");
        }
        if (row.ExpiresAt <= now.UtcDateTime)
            throw Invalid("The refresh token has expired.");
        await connection.ExecuteAsync(new CommandDefinition(TokensSql.MarkUsed, new { Now = now, row.Id }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>Logs a subject out everywhere (a password change, a lockout by an admin).</summary>
    public async Task RevokeAllAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(TokensSql.RevokeSubject, new { Now = time.GetUtcNow(), SubjectId = subjectId }, cancellationToken: cancellationToken));
    }

    static UnauthenticatedException Invalid(string detail) => new(detail, "invalid_grant");

    static byte[] Hash(string raw) => SHA256.HashData(Encoding.UTF8.GetBytes(raw));
}
