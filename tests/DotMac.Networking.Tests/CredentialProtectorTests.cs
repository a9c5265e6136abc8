using System.Security.Cryptography;
using DotMac.Networking.Security;
using DotMac.Networking.Snmp;
using NUnit.Framework;

namespace DotMac.Networking.Tests;

public class CredentialProtectorTests
{
    static readonly SnmpCredentials Credentials = new(null, "noc", AuthProtocol.Sha256, "auth-secret-1", PrivProtocol.Aes256, "priv-secret-1");

    [Test]
    public void Credentials_round_trip_for_their_own_device_only()
    {
        var protector = new CredentialProtector(RandomNumberGenerator.GetBytes(32));
        var (tenant, device) = (Guid.NewGuid(), Guid.NewGuid());

        var stored = protector.Protect(Credentials, tenant, device);

        Assert.That(protector.Unprotect(stored, tenant, device), Is.EqualTo(Credentials));
        Assert.Throws<AuthenticationTagMismatchException>(() => protector.Unprotect(stored, tenant, Guid.NewGuid()), "copied onto another device");
        stored[^1] ^= 1;
        Assert.Throws<AuthenticationTagMismatchException>(() => protector.Unprotect(stored, tenant, device), "tampered");
    }

    [Test]
    public void Another_key_cannot_read_them()
    {
        var (tenant, device) = (Guid.NewGuid(), Guid.NewGuid());
        var stored = new CredentialProtector(RandomNumberGenerator.GetBytes(32)).Protect(Credentials, tenant, device);

        Assert.Throws<AuthenticationTagMismatchException>(() => new CredentialProtector(RandomNumberGenerator.GetBytes(32)).Unprotect(stored, tenant, device));
    }
}
