using System.Net.Http.Json;
using System.Security.Cryptography;
using Dapper;
using DotMac.Identity.Keys;
using DotMac.Identity.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using NUnit.Framework;

namespace DotMac.Identity.Tests;

[TestFixture]
public sealed class When_identity_issues_tokens
{
    IdentityHost _identity = null!;

    [OneTimeSetUp]
    public async Task Start() => _identity = await IdentityHost.StartAsync("identity_tokens");

    [OneTimeTearDown]
    public async Task Stop() => await _identity.DisposeAsync();

    async Task<Api.Reply> AdminLoginAsync() =>
        await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = IdentityHost.AdminEmail, password = _identity.AdminPassword });

    [Test]
    public async Task Should_publish_discovery_and_a_p256_jwks()
    {
        var discovery = await _identity.Client.GetJsonAsync("/.well-known/openid-configuration");
        var jwks = await _identity.Client.GetJsonAsync("/.well-known/jwks.json");

        Assert.That(discovery.Get("issuer"), Is.EqualTo(TokenForge.Issuer));
        Assert.That(discovery.Get("jwks_uri"), Is.EqualTo(new Uri(_identity.Address, "/.well-known/jwks.json").ToString()));
        var key = jwks.Body.GetProperty("keys")[0];
        Assert.That(key.GetProperty("kty").GetString(), Is.EqualTo("EC"));
        Assert.That(key.GetProperty("crv").GetString(), Is.EqualTo("P-256"));
        Assert.That(key.GetProperty("alg").GetString(), Is.EqualTo("ES256"));
        Assert.That(key.TryGetProperty("d", out _), Is.False, "the private part is never published");
    }

    [Test]
    public async Task Should_log_the_bootstrapped_super_admin_in_with_a_15_minute_es256_token_naming_its_kid()
    {
        var login = await AdminLoginAsync();
        var jwks = await _identity.Client.GetJsonAsync("/.well-known/jwks.json");

        Assert.That(login.Code, Is.EqualTo(200), login.Body.ToString());
        var token = TokenForge.Read(login.Get("access_token"));
        Assert.That(token.Alg, Is.EqualTo("ES256"));
        Assert.That(jwks.Body.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()), Does.Contain(token.Kid));
        Assert.That(token.ValidTo - token.IssuedAt, Is.EqualTo(TimeSpan.FromMinutes(15)));
        Assert.That(token.GetClaim("perm").Value, Is.EqualTo("*:*:global"));
        Assert.That(login.Get("refresh_token"), Has.Length.GreaterThan(40));
    }

    [Test]
    public async Task Should_refuse_a_wrong_password_with_401_problem_details()
    {
        var login = await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = IdentityHost.AdminEmail, password = "Wrong-password-1" });

        Assert.That(login.Code, Is.EqualTo(401));
        Assert.That(login.Get("code"), Is.EqualTo("login.invalid_credentials"));
        await _identity.Client.PostJsonAsync("/api/v1/auth/login", new { email = IdentityHost.AdminEmail, password = _identity.AdminPassword }); // resets the count
    }

    [Test]
    public async Task Should_rotate_refresh_tokens_and_revoke_the_family_when_one_is_reused()
    {
        var first = (await AdminLoginAsync()).Get("refresh_token");

        var second = await _identity.Client.PostJsonAsync("/api/v1/auth/refresh", new { refreshToken = first });
        var reuse = await _identity.Client.PostJsonAsync("/api/v1/auth/refresh", new { refreshToken = first });
        var afterReuse = await _identity.Client.PostJsonAsync("/api/v1/auth/refresh", new { refreshToken = second.Get("refresh_token") });

        Assert.That(second.Code, Is.EqualTo(200));
        Assert.That(second.Get("refresh_token"), Is.Not.EqualTo(first));
        Assert.That(reuse.Code, Is.EqualTo(401));
        Assert.That(afterReuse.Code, Is.EqualTo(401), "the reuse revoked the token the thief or the owner got next");
        Assert.That(afterReuse.Get("code"), Is.EqualTo("invalid_grant"));
    }

    [Test]
    public async Task Should_keep_the_private_key_encrypted_at_rest()
    {
        await using var connection = new NpgsqlConnection(_identity.Database.ConnectionString);
        var sealedKeys = (await connection.QueryAsync<byte[]>("select private_key_encrypted from signing_keys")).ToList();

        Assert.That(sealedKeys, Is.Not.Empty);
        foreach (var sealedKey in sealedKeys)
        {
            using var ecdsa = ECDsa.Create();
            Assert.That(() => ecdsa.ImportPkcs8PrivateKey(sealedKey, out _), Throws.InstanceOf<CryptographicException>());
        }
        Assert.That(File.Exists(Path.Combine(_identity.Secrets.Path, "signing-key-encryption.key")), Is.True);
    }

    [Test]
    public async Task Should_give_a_partner_client_a_token_with_only_its_scopes()
    {
        var tenant = await _identity.CreateTenantAsync("partner-co");
        var admin = (await AdminLoginAsync()).Get("access_token");
        var created = await _identity.Client.PostJsonAsync("/api/v1/clients", new { name = "CRM sync", scopes = new[] { "customers:read" } }, admin, Api.Tenant(tenant));
        Assert.That(created.Code, Is.EqualTo(201), created.Body.ToString());

        var granted = await _identity.Client.PostJsonAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = created.Get("clientId"), ["client_secret"] = created.Get("clientSecret"),
        }));
        var widened = await _identity.Client.PostJsonAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = created.Get("clientId"), ["client_secret"] = created.Get("clientSecret"),
            ["scope"] = "customers:read billing:write",
        }));
        var wrongSecret = await _identity.Client.PostJsonAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = created.Get("clientId"), ["client_secret"] = "guess",
        }));

        Assert.That(granted.Code, Is.EqualTo(200), granted.Body.ToString());
        var token = TokenForge.Read(granted.Get("access_token"));
        Assert.That(token.GetClaim("scope").Value, Is.EqualTo("customers:read"));
        Assert.That(token.GetClaim("tid").Value, Is.EqualTo(tenant.ToString()));
        Assert.That(token.Claims.Where(c => c.Type == "perm").Select(c => c.Value), Is.EqualTo(new[] { "customers:read:tenant" }));
        Assert.That(widened.Code, Is.EqualTo(403));
        Assert.That(wrongSecret.Code, Is.EqualTo(401));
    }

    [Test]
    public async Task Should_refuse_forged_none_expired_foreign_and_misaddressed_tokens_with_401()
    {
        var real = (await AdminLoginAsync()).Get("access_token");
        var credentials = await _identity.App.App.Services.GetRequiredService<SigningKeyRing>().SigningCredentialsAsync(CancellationToken.None);
        var forged = TokenForge.AllForged(credentials, real);

        var control = await _identity.Client.GetJsonAsync("/api/v1/keys", real);
        Assert.That(control.Code, Is.EqualTo(200), "the genuine token works");
        foreach (var (name, token) in forged)
        {
            var reply = await _identity.Client.GetJsonAsync("/api/v1/keys", token);
            Assert.That(reply.Code, Is.EqualTo(401), name);
        }
        var anonymous = await _identity.Client.GetJsonAsync("/api/v1/keys");
        Assert.That(anonymous.Code, Is.EqualTo(401));
    }

    [Test]
    public async Task Should_publish_the_next_key_before_it_signs_and_keep_the_old_one_valid()
    {
        var admin = (await AdminLoginAsync()).Get("access_token");
        var oldKid = TokenForge.Read(admin).Kid;

        var rotated = await _identity.Client.PostJsonAsync("/api/v1/keys/rotate", null, admin);
        var nextKid = rotated.Get("kid");
        var published = await _identity.Client.GetJsonAsync("/.well-known/jwks.json");
        var signedMeanwhile = TokenForge.Read((await AdminLoginAsync()).Get("access_token")).Kid;
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the publication lead in these tests
        var signedAfter = TokenForge.Read((await AdminLoginAsync()).Get("access_token")).Kid;
        var oldTokenStillWorks = await _identity.Client.GetJsonAsync("/api/v1/keys", admin);

        Assert.That(rotated.Code, Is.EqualTo(200), rotated.Body.ToString());
        Assert.That(published.Body.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()), Is.SupersetOf(new[] { oldKid, nextKid }));
        Assert.That(signedMeanwhile, Is.EqualTo(oldKid), "the next key is only published until its activation");
        Assert.That(signedAfter, Is.EqualTo(nextKid));
        Assert.That(oldTokenStillWorks.Code, Is.EqualTo(200));
        var oldKey = oldTokenStillWorks.Body.EnumerateArray().Single(k => k.GetProperty("kid").GetString() == oldKid);
        Assert.That(oldKey.GetProperty("expiresAt").GetDateTimeOffset(), Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(14)), "kept until its last token expires");
    }
}
