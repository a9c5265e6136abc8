using System.Security.Claims;
using System.Security.Cryptography;
using DotMac.ServiceDefaults.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NUnit.Framework;

namespace DotMac.ServiceDefaults.Tests;

/// <summary>
/// The cache of validated access tokens every bearer scheme uses: a repeated token skips the signature check, but a
/// withdrawn key, an expired token or a forged one is never answered from it. Real ES256 keys and tokens throughout.
/// </summary>
public class ValidatedTokenCacheTests
{
    const string Issuer = "https://identity.test";
    const string Audience = "dotmac-api";

    sealed class KeySource : IJwksSource
    {
        public List<ECDsaSecurityKey> Keys { get; } = [];

        public Task<JsonWebKeySet> FetchAsync(CancellationToken cancellationToken)
        {
            var set = new JsonWebKeySet();
            foreach (var key in Keys)
                set.Keys.Add(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key));
            return Task.FromResult(set);
        }
    }

    sealed record Validator(JwksCache Keys, ValidatedTokenCache Cache, CachingJsonWebTokenHandler Handler, TokenValidationParameters Parameters)
    {
        public Task<TokenValidationResult> ValidateAsync(string token) => Handler.ValidateTokenAsync(token, Parameters);
    }

    static async Task<Validator> ValidatorAsync(KeySource source)
    {
        var options = Options.Create(new AuthOptions { JwksCacheDuration = TimeSpan.FromHours(1), JwksMinimumRefreshInterval = TimeSpan.Zero });
        var keys = new JwksCache(source, options, TimeProvider.System, NullLogger<JwksCache>.Instance);
        await keys.EnsureAsync(null, CancellationToken.None);
        var cache = new ValidatedTokenCache(keys, TimeProvider.System);
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.Zero,
            IssuerSigningKeyResolver = (_, _, kid, _) => keys.Current.Where(k => k.KeyId == kid),
        };
        return new Validator(keys, cache, new CachingJsonWebTokenHandler(cache) { MapInboundClaims = false }, parameters);
    }

    static ECDsaSecurityKey NewKey(string kid) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid };

    static string Sign(ECDsaSecurityKey key, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now + lifetime,
            Subject = new ClaimsIdentity([new Claim("sub", Guid.NewGuid().ToString())]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    [Test]
    public async Task A_repeated_token_is_answered_from_the_cache_with_an_identity_of_its_own()
    {
        var key = NewKey("k1");
        var validator = await ValidatorAsync(new KeySource { Keys = { key } });
        var token = Sign(key, TimeSpan.FromMinutes(5));

        var first = await validator.ValidateAsync(token);
        // Were the signature checked again, this would fail: the resolver finds no key any more.
        var withoutKeys = validator.Parameters.Clone();
        withoutKeys.IssuerSigningKeyResolver = (_, _, _, _) => [];
        var second = await validator.Handler.ValidateTokenAsync(token, withoutKeys);

        Assert.That(first.IsValid, Is.True, first.Exception?.Message);
        Assert.That(second.IsValid, Is.True);
        Assert.That(second.ClaimsIdentity, Is.Not.SameAs(first.ClaimsIdentity));
        Assert.That(second.ClaimsIdentity.FindFirst("sub")?.Value, Is.EqualTo(first.ClaimsIdentity.FindFirst("sub")?.Value));
        Assert.That(validator.Cache.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task A_cached_token_is_refused_once_its_key_is_withdrawn_from_the_jwks()
    {
        var withdrawn = NewKey("k1");
        var source = new KeySource { Keys = { withdrawn } };
        var validator = await ValidatorAsync(source);
        var token = Sign(withdrawn, TimeSpan.FromMinutes(5));
        Assert.That((await validator.ValidateAsync(token)).IsValid, Is.True);

        source.Keys.Clear();
        source.Keys.Add(NewKey("k2"));
        await validator.Keys.EnsureAsync("k2", CancellationToken.None); // the refresh a token with the new kid causes

        Assert.That((await validator.ValidateAsync(token)).IsValid, Is.False);
    }

    [Test]
    public async Task A_cached_token_is_refused_once_it_expires()
    {
        var key = NewKey("k1");
        var validator = await ValidatorAsync(new KeySource { Keys = { key } });
        var token = Sign(key, TimeSpan.FromSeconds(1.5));
        Assert.That((await validator.ValidateAsync(token)).IsValid, Is.True);

        await Task.Delay(TimeSpan.FromSeconds(2));

        var late = await validator.ValidateAsync(token);
        Assert.That(late.IsValid, Is.False);
        Assert.That(late.Exception, Is.InstanceOf<SecurityTokenExpiredException>());
    }

    [Test]
    public async Task A_forged_token_is_never_cached()
    {
        var key = NewKey("k1");
        var validator = await ValidatorAsync(new KeySource { Keys = { key } });
        var forged = Sign(NewKey("k1"), TimeSpan.FromMinutes(5)); // same kid, another key

        Assert.That((await validator.ValidateAsync(forged)).IsValid, Is.False);
        Assert.That((await validator.ValidateAsync(forged)).IsValid, Is.False);
        Assert.That(validator.Cache.Count, Is.Zero);
    }
}
