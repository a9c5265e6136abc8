using System.Diagnostics;
using DotMac.Networking.Snmp.Tests.Agent;
using NUnit.Framework;

namespace DotMac.Networking.Snmp.Tests;

/// <summary>Our engine against Debian's real net-snmp agent, compared with net-snmp's own command-line tools.</summary>
public class AgentTests
{
    static readonly Oid SysDescr = Oid.Parse(".1.3.6.1.2.1.1.1.0");
    static readonly Oid SysUpTime = Oid.Parse(".1.3.6.1.2.1.1.3.0");
    static readonly Oid SysName = Oid.Parse(".1.3.6.1.2.1.1.5.0");
    static readonly Oid SysLocation = Oid.Parse(".1.3.6.1.2.1.1.6.0");
    static readonly Oid System = Oid.Parse(".1.3.6.1.2.1.1");
    static readonly Oid IfTable = Oid.Parse(".1.3.6.1.2.1.2.2");
    static readonly Oid IfXTable = Oid.Parse(".1.3.6.1.2.1.31.1.1");

    NetSnmpAgent _agent = null!;
    SnmpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAgent()
    {
        _agent = await NetSnmpAgent.StartAsync();
        _client = new SnmpClient(new SnmpClientOptions { Timeout = TimeSpan.FromMilliseconds(500), Retries = 2 });
    }

    [OneTimeTearDown]
    public void StopAgent()
    {
        _client.Dispose();
        _agent.Dispose();
    }

    CommunityTarget V2c(string community = NetSnmpAgent.ReadCommunity) => new(_agent.EndPoint, community);

    [Test]
    public async Task Sys_descr_equals_what_snmpget_returns()
    {
        var ours = await _client.GetAsync(V2c(), SysDescr);
        var theirs = await _agent.ToolAsync("snmpget", "-v2c", "-c", NetSnmpAgent.ReadCommunity, "-On", "-Ox", _agent.Address, SysDescr.ToString());

        Assert.That(theirs.Succeeded, theirs.Describe());
        Assert.That(NetSnmpOutput.Render(ours), Is.EqualTo(NetSnmpOutput.Parse(theirs.Output).Single()));
        Assert.That(ours.Value.ToText(), Does.StartWith("Linux"));
    }

    [TestCase(".1.3.6.1.2.1.2.2", TestName = "Our bulk walk of ifTable equals snmpbulkwalk -On varbind for varbind")]
    [TestCase(".1.3.6.1.2.1.31.1.1", TestName = "Our bulk walk of ifXTable equals snmpbulkwalk -On varbind for varbind")]
    public async Task Bulk_walk_equals_snmpbulkwalk(string root)
    {
        // Counters move while the walks run (loopback carries them), so net-snmp walks before and after ours and
        // every counter of ours must lie between its two readings; everything else must be equal.
        var before = await WalkWithNetSnmpAsync(root);
        var ours = (await _client.WalkToListAsync(V2c(), Oid.Parse(root))).Select(NetSnmpOutput.Render).ToList();
        var after = await WalkWithNetSnmpAsync(root);

        Assert.That(ours.Select(r => (r.Oid, r.Type)), Is.EqualTo(before.Select(r => (r.Oid, r.Type))));
        Assert.That(ours, Has.Count.GreaterThan(20));
        for (var i = 0; i < ours.Count; i++)
        {
            if (ours[i].Type is "Counter32" or "Counter64")
                Assert.That(ulong.Parse(ours[i].Value), Is.InRange(ulong.Parse(before[i].Value), ulong.Parse(after[i].Value)), ours[i].ToString());
            else
                Assert.That(ours[i], Is.EqualTo(before[i]).Or.EqualTo(after[i]));
        }
    }

    async Task<List<NetSnmpOutput.Row>> WalkWithNetSnmpAsync(string root)
    {
        var result = await _agent.ToolAsync("snmpbulkwalk", "-v2c", "-c", NetSnmpAgent.ReadCommunity, "-On", "-Ox", _agent.Address, root);
        Assert.That(result.Succeeded, result.Describe());
        return NetSnmpOutput.Parse(result.Output);
    }

    [Test]
    public async Task A_v1_walk_uses_getnext_and_equals_snmpwalk()
    {
        var ours = (await _client.WalkToListAsync(new CommunityTarget(_agent.EndPoint, NetSnmpAgent.ReadCommunity, SnmpVersion.V1), System))
            .Select(NetSnmpOutput.Render).ToList();
        var theirs = await _agent.ToolAsync("snmpwalk", "-v1", "-c", NetSnmpAgent.ReadCommunity, "-On", "-Ox", _agent.Address, System.ToString());

        var expected = NetSnmpOutput.Parse(theirs.Output);
        Assert.That(ours.Select(r => r.Oid), Is.EqualTo(expected.Select(r => r.Oid)));
        Assert.That(ours.Where(r => r.Type != "TimeTicks"), Is.EqualTo(expected.Where(r => r.Type != "TimeTicks")));
    }

    [Test]
    public async Task Get_answers_missing_objects_with_the_v2_exceptions_and_v1_with_no_such_name()
    {
        var answers = await _client.GetAsync(V2c(), [SysName, Oid.Parse("1.3.6.1.2.1.1.99.0"), Oid.Parse("1.3.6.1.2.1.1.1")]);

        Assert.That(answers.Select(a => a.Value.Type), Is.EqualTo(new[] { SnmpType.OctetString, SnmpType.NoSuchObject, SnmpType.NoSuchInstance }));
        var v1 = Assert.ThrowsAsync<SnmpErrorStatusException>(() => _client.GetAsync(new CommunityTarget(_agent.EndPoint, NetSnmpAgent.ReadCommunity, SnmpVersion.V1), [SysName, Oid.Parse("1.3.6.1.2.1.1.99.0")]));
        Assert.That((v1!.Status, v1.Index), Is.EqualTo((SnmpErrorStatus.NoSuchName, 2)));
    }

    [Test]
    public async Task Get_bulk_honours_non_repeaters_and_max_repetitions()
    {
        var answers = await _client.GetBulkAsync(V2c(), 1, 3, [Oid.Parse("1.3.6.1.2.1.1.3"), Oid.Parse("1.3.6.1.2.1.2.2.1.2")]);

        Assert.That(answers, Has.Count.EqualTo(4));
        Assert.That(answers[0].Oid, Is.EqualTo(SysUpTime));
        Assert.That(answers[1].Oid, Is.EqualTo(Oid.Parse("1.3.6.1.2.1.2.2.1.2.1")));
        Assert.That(answers[1].Value.ToText(), Is.EqualTo("lo"));
    }

    [Test]
    public async Task Set_writes_a_value_that_snmpget_then_reads()
    {
        var location = $"rack {Guid.NewGuid():N}"[..12];
        var answer = await _client.SetAsync(V2c(NetSnmpAgent.WriteCommunity), [new VarBind(SysLocation, SnmpValue.OctetString(location))]);
        var theirs = await _agent.ToolAsync("snmpget", "-v2c", "-c", NetSnmpAgent.ReadCommunity, "-Oqv", _agent.Address, SysLocation.ToString());

        Assert.That(answer[0].Value.ToText(), Is.EqualTo(location));
        Assert.That(theirs.Output.Trim().Trim('"'), Is.EqualTo(location));
    }

    [Test]
    public void Set_with_the_read_only_community_is_refused()
    {
        var error = Assert.ThrowsAsync<SnmpErrorStatusException>(() => _client.SetAsync(V2c(), [new VarBind(SysLocation, SnmpValue.OctetString("x"))]));
        Assert.That(error!.Status, Is.EqualTo(SnmpErrorStatus.NoAccess));
    }

    [TestCase("sha-aes", TestName = "v3 authPriv with SHA and AES-128 works")]
    [TestCase("sha256-aes256", TestName = "v3 authPriv with SHA-256 and AES-256 works")]
    [TestCase("sha-aes256", TestName = "v3 authPriv with SHA and AES-256 works (net-snmp's key extension)")]
    [TestCase("md5-des", TestName = "v3 authPriv with MD5 and DES works")]
    [TestCase("sha512-aes192", TestName = "v3 authPriv with SHA-512 and AES-192 works")]
    [TestCase("sha384-auth", TestName = "v3 authNoPriv with SHA-384 works")]
    public async Task V3_user_reads_what_v2c_reads(string user)
    {
        var target = new UsmTarget(_agent.EndPoint, Users.Get(user));

        var v3 = await _client.GetAsync(target, SysDescr);
        var walk = await _client.WalkToListAsync(target, IfTable);
        var v2 = await _client.GetAsync(V2c(), SysDescr);

        Assert.That(v3, Is.EqualTo(v2));
        Assert.That(walk.Where(v => v.Oid.StartsWith(Oid.Parse("1.3.6.1.2.1.2.2.1.2"))).Select(v => v.Value.ToText()), Does.Contain("lo"));
    }

    [Test]
    public async Task A_wrong_community_times_out_cleanly()
    {
        var target = V2c("not-the-community") with { Timeout = TimeSpan.FromMilliseconds(200), Retries = 1 };
        var clock = Stopwatch.StartNew();

        var error = Assert.ThrowsAsync<SnmpTimeoutException>(() => _client.GetAsync(target, SysDescr));

        Assert.That(error!.Message, Does.Contain("2 attempts"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(await _client.GetAsync(V2c(), SysName), Is.Not.Null, "the client still works afterwards");
    }

    [Test]
    public void A_wrong_v3_password_is_an_authentication_error()
    {
        var target = new UsmTarget(_agent.EndPoint, Users.Get("sha-aes", authPassword: "wrong-password"));

        var error = Assert.ThrowsAsync<SnmpAuthenticationException>(() => _client.GetAsync(target, SysDescr));

        Assert.That(error!.Message, Does.Contain("usmStatsWrongDigests"));
    }

    [Test]
    public async Task A_wrong_v3_privacy_password_times_out_because_snmpd_drops_what_it_cannot_decrypt()
    {
        // snmpd logs "error parsing ScopedPDU" and sends no report (usmStatsDecryptionErrors only counts); net-snmp's own
        // snmpget times out the same way.
        var target = new UsmTarget(_agent.EndPoint, Users.Get("sha-aes", privPassword: "wrong-privacy")) { Timeout = TimeSpan.FromMilliseconds(200), Retries = 0 };
        var theirs = await _agent.ToolAsync("snmpget", "-v3", "-l", "authPriv", "-u", "sha-aes", "-a", "SHA", "-A", NetSnmpAgent.AuthPassword,
            "-x", "AES", "-X", "wrong-privacy", "-t", "0.2", "-r", "0", _agent.Address, SysDescr.ToString());

        Assert.ThrowsAsync<SnmpTimeoutException>(() => _client.GetAsync(target, SysDescr));
        Assert.That(theirs.Describe(), Does.Contain("Timeout"));
    }

    [Test]
    public void An_unknown_v3_user_is_an_authentication_error()
    {
        var target = new UsmTarget(_agent.EndPoint, new UsmUser("nobody", AuthProtocol.Sha1, "whatever-123"));

        var error = Assert.ThrowsAsync<SnmpAuthenticationException>(() => _client.GetAsync(target, SysDescr));

        Assert.That(error!.Message, Does.Contain("usmStatsUnknownUserNames"));
    }
}
