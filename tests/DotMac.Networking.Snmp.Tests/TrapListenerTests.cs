using System.Net;
using DotMac.Networking.Snmp.Tests.Agent;
using DotMac.Networking.Snmp.Traps;
using DotMac.Testing;
using NUnit.Framework;

namespace DotMac.Networking.Snmp.Tests;

/// <summary>Notifications sent by net-snmp's snmptrap and snmpinform arrive at our listener.</summary>
public class TrapListenerTests
{
    const string SenderEngine = "0x8000000001020304";
    static readonly Oid IfIndex2 = Oid.Parse("1.3.6.1.2.1.2.2.1.1.2");

    TemporaryFolder _tools = null!;
    TrapListener _listener = null!;
    string _address = null!;

    [OneTimeSetUp]
    public async Task Listen()
    {
        await NetSnmpAgent.EnsureInstalledAsync();
        _tools = new TemporaryFolder("dotmac-snmptools");
        _listener = new TrapListener(new TrapListenerOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Communities = ["public"],
            Users = [Users.Get("sha-aes"), Users.Get("sha256-aes256")],
        });
        _address = $"127.0.0.1:{_listener.LocalEndPoint.Port}";
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _listener.Dispose();
        _tools.Dispose();
    }

    async Task<ReceivedTrap> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await _listener.Traps.ReadAsync(timeout.Token);
    }

    Task<DotMac.AppHost.Infrastructure.ShellResult> ToolAsync(string tool, params string[] arguments) =>
        NetSnmpAgent.RunToolAsync(_tools.Path, tool, arguments);

    static string[] LinkDown => ["", ".1.3.6.1.6.3.1.1.5.3", IfIndex2.ToString(), "i", "2"];

    static string[] V3(string user, string auth, string priv) =>
        ["-v3", "-l", "authPriv", "-u", user, "-a", auth, "-A", NetSnmpAgent.AuthPassword, "-x", priv, "-X", NetSnmpAgent.PrivPassword];

    [Test]
    public async Task A_v2c_link_down_trap_arrives_with_its_interface()
    {
        var sent = await ToolAsync("snmptrap", ["-v2c", "-c", "public", _address, .. LinkDown]);
        var trap = await NextAsync();

        Assert.That(sent.Succeeded, sent.Describe());
        Assert.That((trap.Version, trap.IsInform, trap.SecurityName), Is.EqualTo((SnmpVersion.V2c, false, "public")));
        Assert.That(trap.TrapOid, Is.EqualTo(Mib.LinkDown));
        Assert.That(trap.InterfaceIndex, Is.EqualTo(2));
        Assert.That(trap.Source.Address, Is.EqualTo(IPAddress.Loopback));
    }

    [Test]
    public async Task A_v2c_inform_is_acknowledged_and_arrives()
    {
        var sent = await ToolAsync("snmpinform", ["-v2c", "-c", "public", "-t", "1", "-r", "0", _address, "", ".1.3.6.1.6.3.1.1.5.4", IfIndex2.ToString(), "i", "2"]);
        var trap = await NextAsync();

        Assert.That(sent.Succeeded, $"snmpinform got no acknowledgement: {sent.Describe()}");
        Assert.That((trap.IsInform, trap.TrapOid, trap.InterfaceIndex), Is.EqualTo((true, Mib.LinkUp, (int?)2)));
    }

    [Test]
    public async Task A_v1_trap_arrives_in_v2_form()
    {
        var sent = await ToolAsync("snmptrap", ["-v1", "-c", "public", _address, ".1.3.6.1.4.1.8072.3.2.10", "127.0.0.1", "2", "0", "", IfIndex2.ToString(), "i", "2"]);
        var trap = await NextAsync();

        Assert.That(sent.Succeeded, sent.Describe());
        Assert.That((trap.Version, trap.TrapOid, trap.InterfaceIndex), Is.EqualTo((SnmpVersion.V1, Mib.LinkDown, (int?)2)));
    }

    [Test]
    public async Task A_v3_auth_priv_trap_arrives()
    {
        var sent = await ToolAsync("snmptrap", [.. V3("sha-aes", "SHA", "AES"), "-e", SenderEngine, _address, .. LinkDown]);
        var trap = await NextAsync();

        Assert.That(sent.Succeeded, sent.Describe());
        Assert.That((trap.Version, trap.SecurityName, trap.TrapOid, trap.InterfaceIndex), Is.EqualTo((SnmpVersion.V3, "sha-aes", Mib.LinkDown, (int?)2)));
    }

    [Test]
    public async Task A_v3_inform_discovers_our_engine_is_acknowledged_and_arrives()
    {
        var sent = await ToolAsync("snmpinform", [.. V3("sha256-aes256", "SHA-256", "AES-256"), "-t", "1", "-r", "1", _address, .. LinkDown]);
        var trap = await NextAsync();

        Assert.That(sent.Succeeded, $"snmpinform got no acknowledgement: {sent.Describe()}");
        Assert.That((trap.Version, trap.IsInform, trap.SecurityName, trap.InterfaceIndex), Is.EqualTo((SnmpVersion.V3, true, "sha256-aes256", (int?)2)));
    }

    [Test]
    public async Task Traps_with_a_wrong_community_or_password_are_dropped()
    {
        var dropped = _listener.Dropped;
        await ToolAsync("snmptrap", ["-v2c", "-c", "guess", _address, .. LinkDown]);
        await ToolAsync("snmptrap", ["-v3", "-l", "authPriv", "-u", "sha-aes", "-a", "SHA", "-A", "wrong-password", "-x", "AES", "-X", NetSnmpAgent.PrivPassword,
            "-e", SenderEngine, _address, .. LinkDown]);
        await ToolAsync("snmptrap", ["-v2c", "-c", "public", _address, "", ".1.3.6.1.6.3.1.1.5.1"]);

        var next = await NextAsync();

        Assert.That(next.TrapOid, Is.EqualTo(Oid.Parse("1.3.6.1.6.3.1.1.5.1")), "only the coldStart with the right community arrived");
        Assert.That(_listener.Dropped, Is.EqualTo(dropped + 2));
    }
}
