using Dapper;
using DotMac.Identity.Data;
using DotMac.Identity.Extensions;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Problems;
using PasswordHasher = Microsoft.AspNetCore.Identity.PasswordHasher<object>;
using PasswordVerificationResult = Microsoft.AspNetCore.Identity.PasswordVerificationResult;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Identity.Features;

/// <summary>
/// Verifies a password against a staff user or portal account: locked accounts are refused without looking at the
/// password, failures count towards a 30-minute lock on the fifth, success clears the count. Hashes are ASP.NET Core
/// Identity's (PBKDF2-SHA512, salted, format-versioned).
/// </summary>
public sealed class PasswordCheck(NpgsqlDataSource db, IOptions<IdentityOptions> options, TimeProvider time, IdentityEvents events)
{
    static readonly PasswordHasher Hasher = new();
    static readonly object User = new();

    // Verifying against this when the account does not exist keeps the time of a failed login the same either way.
    static readonly string DummyHash = Hasher.HashPassword(User, "not-a-password-anyone-has-0");

    public static string Hash(string password) => Hasher.HashPassword(User, password);

    /// <summary>Checks the password; throws 401 if wrong or locked. Returns the row on success.</summary>
    public async Task<CredentialRow> VerifyAsync(CredentialKind kind, CredentialRow? row, string password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (row?.PasswordHash is null || row.Status == "disabled")
        {
            Hasher.VerifyHashedPassword(User, DummyHash, password);
            throw new UnauthenticatedException("The login name or password is wrong.", "login.invalid_credentials");
        }
        if (row.LockedUntil > now.UtcDateTime)
            throw Locked(row.LockedUntil.Value);

        var result = Hasher.VerifyHashedPassword(User, row.PasswordHash, password);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        if (result == PasswordVerificationResult.Failed)
        {
            var lockUntil = now + options.Value.LockoutDuration;
            var locked = await connection.QuerySingleAsync<DateTime?>(new CommandDefinition(kind.Failure,
                new { row.Id, MaxFailures = options.Value.MaxFailedLogins, LockUntil = lockUntil }, cancellationToken: cancellationToken));
            if (locked > now.UtcDateTime)
            {
                await events.LockedOutAsync(row.TenantId, row.Id, kind.Name, lockUntil, cancellationToken);
                throw Locked(locked.Value);
            }
            throw new UnauthenticatedException("The login name or password is wrong.", "login.invalid_credentials");
        }
        await connection.ExecuteAsync(new CommandDefinition(kind.Success, new { row.Id, Now = now }, cancellationToken: cancellationToken));
        return row;
    }

    /// <summary>A verified holder may get tokens only if no password change is due (first login, or older than 90 days).</summary>
    public void EnsureNoChangeDue(CredentialRow row)
    {
        if (row.MustChangePassword)
            throw new ForbiddenException("The password must be changed before the first login.", "password.change_required");
        if (row.PasswordChangedAt is { } changed && changed + options.Value.PasswordLifetime < time.GetUtcNow().UtcDateTime)
            throw new ForbiddenException("The password has expired and must be changed.", "password.expired");
    }

    static UnauthenticatedException Locked(DateTime until) =>
        new($"Too many failed logins: the account is locked until {until:u}.", "login.locked_out");
}
