using System.Security.Cryptography;
using Dapper;
using DotMac.Identity.Data;
using DotMac.Identity.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Identity.Features;

/// <summary>
/// First start: the platform's super admin, with a generated password written to an owner-only, git-ignored file
/// and printed once. There is never a default password; a later start finds the admin and does nothing.
/// </summary>
public sealed class SuperAdminBootstrap(NpgsqlDataSource db, IOptions<IdentityOptions> options, TimeProvider time, ILogger<SuperAdminBootstrap> logger)
{
    static readonly Guid SuperAdminRole = new("00000000-0000-7000-8000-000000000001");

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        // Instances starting together: one bootstraps, the others wait and then find the admin.
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(4242001)", transaction: tx, cancellationToken: cancellationToken));
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(UsersSql.SuperAdminExists, transaction: tx, cancellationToken: cancellationToken)))
            return;

        var settings = options.Value;
        var password = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 20) + "-7aA";
        var path = settings.BootstrapPasswordFile ?? LocalState.PathFor(Path.Combine("identity", "super-admin.txt"));
        var id = Guid.CreateVersion7();
        await connection.ExecuteAsync(new CommandDefinition(UsersSql.Insert, new
        {
            Id = id, TenantId = (Guid?)null, Email = settings.SuperAdminEmail, DisplayName = "Platform administrator",
            PasswordHash = PasswordCheck.Hash(password), MustChangePassword = false, Now = time.GetUtcNow(),
        }, tx, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(RolesSql.AssignToUser, new { UserId = id, RoleId = SuperAdminRole }, tx, cancellationToken: cancellationToken));
        if (File.Exists(path))
            File.Delete(path); // a password file left from a database that was reset
        LocalState.WriteSecret(path, $"{settings.SuperAdminEmail}\n{password}\n");
        await tx.CommitAsync(cancellationToken);

        // Printed once, on purpose: the operator needs it, and it is in the owner-only file from now on.
        Console.WriteLine($"DotMac super admin created: {settings.SuperAdminEmail} / {password} (also in {path}; change it)");
        logger.LogWarning("Bootstrapped the super admin {Email}; the password is in {Path}", settings.SuperAdminEmail, path);
    }
}
