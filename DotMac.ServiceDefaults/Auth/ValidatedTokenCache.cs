using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DotMac.ServiceDefaults.Auth;

/// <summary>
/// Access tokens already validated, by their exact text, until they expire. A client sends the same token on every
/// call for its lifetime, and checking its ES256 signature again each time was the largest single cost of a request
/// through the gateway (OpenSSL's ECDSA verify; the gateway and the service each paid it). A hit needs the identical
/// string, so the signature is the one already checked; it is refused from the cache once the token's exp has passed,
/// and an entry checked against an earlier key set is never answered (a key withdrawn from identity's JWKS stops
/// its tokens as soon as the JWKS cache sees it, exactly as without this cache).
/// </summary>
public sealed class ValidatedTokenCache(JwksCache keys, TimeProvider time)
{
    /// <summary>
    /// Tokens in use within one access-token lifetime on a busy gateway; beyond it the cache starts over. An entry
    /// holds the parsed token and its claims (about 3 KB measured for a staff token), so the cache stays near 12 MB.
    /// </summary>
    public const int Capacity = 4_096;

    readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>A validated token, with the key set it was checked against: an entry of an older key set is a miss.</summary>
    sealed record Entry(TokenValidationResult Result, DateTime ExpiresUtc, IReadOnlyList<SecurityKey> Keys);

    /// <summary>The key set a validation starting now uses; pass it to <see cref="Add"/>.</summary>
    public IReadOnlyList<SecurityKey> Generation => keys.Current;

    public int Count => _entries.Count;

    public bool Contains(string token) => _entries.ContainsKey(token);

    public bool TryGet(string token, [NotNullWhen(true)] out TokenValidationResult? result)
    {
        result = null;
        if (!_entries.TryGetValue(token, out var entry))
            return false;
        if (!ReferenceEquals(entry.Keys, keys.Current) || time.GetUtcNow().UtcDateTime >= entry.ExpiresUtc)
        {
            _entries.TryRemove(token, out _);
            return false;
        }
        // Each request gets identities of its own: claims transformation or a handler may add to them.
        result = new TokenValidationResult
        {
            IsValid = true,
            ClaimsIdentity = entry.Result.ClaimsIdentity.Clone(),
            SecurityToken = entry.Result.SecurityToken,
            Issuer = entry.Result.Issuer,
            TokenType = entry.Result.TokenType,
        };
        return true;
    }

    /// <summary>Remembers a token validated against <paramref name="validatedWith"/>, if that is still the trusted key set.</summary>
    public void Add(string token, IReadOnlyList<SecurityKey> validatedWith, TokenValidationResult result)
    {
        if (!result.IsValid || result.SecurityToken is null || !ReferenceEquals(validatedWith, keys.Current))
            return;
        if (_entries.Count >= Capacity)
            _entries.Clear(); // also the way entries of retired key sets leave
        _entries[token] = new Entry(result, result.SecurityToken.ValidTo, validatedWith);
    }
}

/// <summary>The JWT handler of every service's bearer scheme: <see cref="ValidatedTokenCache"/> first, full validation otherwise.</summary>
public sealed class CachingJsonWebTokenHandler(ValidatedTokenCache cache) : JsonWebTokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (cache.TryGet(token, out var cached))
            return cached;
        var keys = cache.Generation;
        var result = await base.ValidateTokenAsync(token, validationParameters);
        cache.Add(token, keys, result);
        return result;
    }
}
