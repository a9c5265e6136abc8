using System.Security.Cryptography;
using Dapper;
using DotMac.Identity.Data;
using DotMac.Identity.Extensions;
using DotMac.ServiceDefaults.Auth;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace DotMac.Identity.Keys;

/// <summary>
/// Identity's ECDSA P-256 signing keys, kept in its database with the private half encrypted. The key that signs
/// is the newest one whose activation time has come. A rotation publishes the next key KeyPublicationLead before it
/// signs (every validator's JWKS cache has seen it by then), and the old key stays published until every token it
/// signed has expired. Instances share the table, so any instance may rotate and the others follow on reload.
/// </summary>
public sealed class SigningKeyRing(NpgsqlDataSource db, KeyEncryption encryption, IOptions<IdentityOptions> options, TimeProvider time, ILogger<SigningKeyRing> logger)
{
    readonly SemaphoreSlim _gate = new(1, 1);
    readonly Dictionary<string, ECDsa> _private = new(StringComparer.Ordinal);
    IReadOnlyList<SigningKeyRow> _rows = [];
    DateTimeOffset _loadedAt = DateTimeOffset.MinValue;

    /// <summary>The credentials to sign with now, creating the first key if there is none.</summary>
    public async Task<SigningCredentials> SigningCredentialsAsync(CancellationToken cancellationToken)
    {
        var row = Active(await RowsAsync(cancellationToken));
        if (row is null)
        {
            await EnsureActiveKeyAsync(cancellationToken);
            row = Active(await RowsAsync(cancellationToken, reload: true))
                ?? throw new InvalidOperationException("No active signing key after creating one.");
        }
        return new SigningCredentials(new ECDsaSecurityKey(PrivateKey(row)) { KeyId = row.Kid }, SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>Every key a validator should trust now: the active one, the next one, and retired ones whose tokens live.</summary>
    public async Task<IReadOnlyList<SigningKeyRow>> PublishedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return (await RowsAsync(cancellationToken)).Where(r => r.ExpiresAt is null || r.ExpiresAt > now).ToList();
    }

    /// <summary>The JWKS document of <see cref="PublishedAsync"/>.</summary>
    public async Task<JsonWebKeySet> JwksAsync(CancellationToken cancellationToken)
    {
        var set = new JsonWebKeySet();
        foreach (var row in await PublishedAsync(cancellationToken))
            set.Keys.Add(PublicJwk(row));
        return set;
    }

    public static JsonWebKey PublicJwk(SigningKeyRow row)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(row.PublicKey, out _);
        var q = ecdsa.ExportParameters(includePrivateParameters: false).Q;
        return new JsonWebKey
        {
            Kty = JsonWebAlgorithmsKeyTypes.EllipticCurve,
            Crv = JsonWebKeyECTypes.P256,
            X = Base64UrlEncoder.Encode(q.X),
            Y = Base64UrlEncoder.Encode(q.Y),
            Kid = row.Kid,
            Use = JsonWebKeyUseNames.Sig,
            Alg = TokenClaims.Algorithm,
        };
    }

    /// <summary>Creates a signing key active at once if there is none (first start).</summary>
    public async Task EnsureActiveKeyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(KeysSql.Lock, transaction: tx, cancellationToken: cancellationToken));
        var rows = (await connection.QueryAsync<SigningKeyRow>(new CommandDefinition(KeysSql.All, transaction: tx, cancellationToken: cancellationToken))).ToList();
        if (Active(rows) is null)
        {
            var now = time.GetUtcNow();
            await InsertAsync(connection, tx, now, now, cancellationToken);
            logger.LogInformation("Created the first signing key");
        }
        await tx.CommitAsync(cancellationToken);
        _loadedAt = DateTimeOffset.MinValue;
    }

    /// <summary>
    /// Publishes the next key, signing from now + KeyPublicationLead; the current key stops signing then and leaves
    /// the JWKS once its last token has expired. A rotation already under way is returned rather than doubled.
    /// </summary>
    public async Task<SigningKeyRow> RotateAsync(CancellationToken cancellationToken)
    {
        await EnsureActiveKeyAsync(cancellationToken);
        var settings = options.Value;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(KeysSql.Lock, transaction: tx, cancellationToken: cancellationToken));
        var rows = (await connection.QueryAsync<SigningKeyRow>(new CommandDefinition(KeysSql.All, transaction: tx, cancellationToken: cancellationToken))).ToList();
        var now = time.GetUtcNow();
        var pending = rows.FirstOrDefault(r => r.ActivatesAt > now.UtcDateTime);
        if (pending is not null)
            return pending;
        var activatesAt = now + settings.KeyPublicationLead;
        var next = await InsertAsync(connection, tx, now, activatesAt, cancellationToken);
        var expiresAt = activatesAt + settings.AccessTokenLifetime + TimeSpan.FromMinutes(1);
        foreach (var old in rows.Where(r => r.RetiresAt is null))
            await connection.ExecuteAsync(new CommandDefinition(KeysSql.Retire, new { old.Kid, RetiresAt = activatesAt, ExpiresAt = expiresAt }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        _loadedAt = DateTimeOffset.MinValue;
        logger.LogInformation("Rotating signing keys: {Kid} published now, signs from {ActivatesAt:o}", next.Kid, activatesAt);
        return next;
    }

    /// <summary>When the key signing now started to sign (UTC ticks; 0 until the first rotation check), and the rotation period.</summary>
    static long _activeSince;
    static long _lifetimeTicks;

    static readonly System.Diagnostics.Metrics.ObservableGauge<double> KeyAge = DotMac.ServiceDefaults.Telemetry.DotMacTelemetry.Meter.CreateObservableGauge(
        "dotmac.identity.signing_key.age",
        () => Interlocked.Read(ref _activeSince) is var since and > 0 ? [new System.Diagnostics.Metrics.Measurement<double>((DateTime.UtcNow.Ticks - since) / (double)TimeSpan.TicksPerSecond)] : Array.Empty<System.Diagnostics.Metrics.Measurement<double>>(),
        "s", "Age of the signing key in use (rotation is due at dotmac.identity.signing_key.lifetime)");

    static readonly System.Diagnostics.Metrics.ObservableGauge<double> KeyLifetime = DotMac.ServiceDefaults.Telemetry.DotMacTelemetry.Meter.CreateObservableGauge(
        "dotmac.identity.signing_key.lifetime",
        () => Interlocked.Read(ref _lifetimeTicks) is var ticks and > 0 ? [new System.Diagnostics.Metrics.Measurement<double>(ticks / (double)TimeSpan.TicksPerSecond)] : Array.Empty<System.Diagnostics.Metrics.Measurement<double>>(),
        "s", "How long a signing key signs before it is rotated (Identity:KeyLifetime)");

    /// <summary>Rotates when the signing key is older than KeyLifetime and no rotation is under way.</summary>
    public async Task RotateIfDueAsync(CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(cancellationToken, reload: true);
        var active = Active(rows);
        var now = time.GetUtcNow().UtcDateTime;
        if (active is not null)
            Interlocked.Exchange(ref _activeSince, DateTime.SpecifyKind(active.ActivatesAt, DateTimeKind.Utc).Ticks);
        Interlocked.Exchange(ref _lifetimeTicks, options.Value.KeyLifetime.Ticks);
        if (active is not null && active.ActivatesAt + options.Value.KeyLifetime < now && !rows.Any(r => r.ActivatesAt > now))
            await RotateAsync(cancellationToken);
    }

    SigningKeyRow? Active(IReadOnlyList<SigningKeyRow> rows)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return rows.Where(r => r.ActivatesAt <= now).MaxBy(r => r.ActivatesAt);
    }

    async Task<SigningKeyRow> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, DateTimeOffset now, DateTimeOffset activatesAt, CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12));
        var row = new SigningKeyRow(kid, TokenClaims.Algorithm, key.ExportSubjectPublicKeyInfo(),
            encryption.Encrypt(kid, key.ExportPkcs8PrivateKey()), now.UtcDateTime, activatesAt.UtcDateTime, null, null);
        await connection.ExecuteAsync(new CommandDefinition(KeysSql.Insert,
            new { row.Kid, row.Algorithm, row.PublicKey, row.PrivateKeyEncrypted, CreatedAt = now, ActivatesAt = activatesAt }, tx, cancellationToken: cancellationToken));
        return row;
    }

    async Task<IReadOnlyList<SigningKeyRow>> RowsAsync(CancellationToken cancellationToken, bool reload = false)
    {
        if (!reload && time.GetUtcNow() - _loadedAt < options.Value.KeyReloadInterval)
            return _rows;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!reload && time.GetUtcNow() - _loadedAt < options.Value.KeyReloadInterval)
                return _rows;
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            _rows = (await connection.QueryAsync<SigningKeyRow>(new CommandDefinition(KeysSql.All, cancellationToken: cancellationToken))).ToList();
            _loadedAt = time.GetUtcNow();
            return _rows;
        }
        finally
        {
            _gate.Release();
        }
    }

    ECDsa PrivateKey(SigningKeyRow row)
    {
        lock (_private)
        {
            if (_private.TryGetValue(row.Kid, out var key))
                return key;
            key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(encryption.Decrypt(row.Kid, row.PrivateKeyEncrypted), out _);
            _private[row.Kid] = key;
            return key;
        }
    }
}
