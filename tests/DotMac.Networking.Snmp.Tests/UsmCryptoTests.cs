using DotMac.Networking.Snmp.Usm;
using NUnit.Framework;

namespace DotMac.Networking.Snmp.Tests;

public class UsmCryptoTests
{
    static readonly byte[] EngineId = Convert.FromHexString("000000000000000000000002");

    [Test]
    public void Md5_password_to_key_and_localisation_match_rfc_3414_a_3_1()
    {
        var ku = UsmCrypto.PasswordToKey(AuthProtocol.Md5, "maplesyrup");
        Assert.That(Convert.ToHexString(ku), Is.EqualTo("9FAF3283884E92834EBC9847D8EDD963"));
        Assert.That(Convert.ToHexString(UsmCrypto.Localize(AuthProtocol.Md5, ku, EngineId)), Is.EqualTo("526F5EED9FCCE26F8964C2930787D82B"));
    }

    [Test]
    public void Sha1_password_to_key_and_localisation_match_rfc_3414_a_3_2()
    {
        var ku = UsmCrypto.PasswordToKey(AuthProtocol.Sha1, "maplesyrup");
        Assert.That(Convert.ToHexString(ku), Is.EqualTo("9FB5CC0381497B3793528939FF788D5D79145211"));
        Assert.That(Convert.ToHexString(UsmCrypto.Localize(AuthProtocol.Sha1, ku, EngineId)), Is.EqualTo("6695FEBC9288E36282235FC7151F128497B38F3F"));
    }

    [Test]
    public void A_key_too_short_for_aes_256_is_extended_with_its_own_hash()
    {
        var localized = UsmCrypto.Localize(AuthProtocol.Sha1, UsmCrypto.PasswordToKey(AuthProtocol.Sha1, "maplesyrup"), EngineId);
        var extended = UsmCrypto.ExtendPrivKey(AuthProtocol.Sha1, PrivProtocol.Aes256, localized);

        Assert.That(extended, Has.Length.EqualTo(32));
        Assert.That(extended[..20], Is.EqualTo(localized));
        Assert.That(extended[20..], Is.EqualTo(System.Security.Cryptography.SHA1.HashData(localized)[..12]));
    }

    [TestCase(PrivProtocol.Des)]
    [TestCase(PrivProtocol.Aes128)]
    [TestCase(PrivProtocol.Aes192)]
    [TestCase(PrivProtocol.Aes256)]
    public void Encryption_round_trips_for_lengths_that_are_not_whole_blocks(PrivProtocol protocol)
    {
        var key = UsmCrypto.ExtendPrivKey(AuthProtocol.Sha256, protocol, UsmCrypto.Localize(AuthProtocol.Sha256, UsmCrypto.PasswordToKey(AuthProtocol.Sha256, "maplesyrup"), EngineId));
        var plaintext = new byte[37];
        Random.Shared.NextBytes(plaintext);

        var ciphertext = UsmCrypto.Encrypt(protocol, key, 5, 1234, 99, plaintext, out var salt);
        var back = UsmCrypto.Decrypt(protocol, key, 5, 1234, salt, ciphertext);

        Assert.That(ciphertext, Is.Not.EqualTo(plaintext));
        Assert.That(back[..plaintext.Length], Is.EqualTo(plaintext));
    }
}
