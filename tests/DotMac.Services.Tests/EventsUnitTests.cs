using System.Net;
using System.Text;
using DotMac.Contracts.Billing;
using DotMac.Events.History;
using DotMac.Events.Webhooks;
using DotMac.ServiceDefaults.Problems;
using NUnit.Framework;

namespace DotMac.Services.Tests;

/// <summary>The events service's pure rules: public type names, the webhook URL policy, signatures, history cursors.</summary>
public class EventsUnitTests
{
    [TestCase("ServiceActivated", "service.activated")]
    [TestCase("InvoiceIssued", "invoice.issued")]
    [TestCase("TenantBillingSettingsChanged", "tenant_billing_settings.changed")]
    [TestCase("UserLockedOut", "user.locked_out")]
    [TestCase("DeviceUp", "device.up")]
    [TestCase("IpAllocated", "ip.allocated")]
    [TestCase("ServiceOrderSubmitted", "service_order.submitted")]
    [TestCase("WebhookDeliveryFailed", "webhook_delivery.failed")]
    public void A_contract_name_becomes_its_public_type(string contract, string type) =>
        Assert.That(EventTypes.NameOf(contract), Is.EqualTo(type));

    [Test]
    public void Every_integration_event_of_the_contracts_has_a_distinct_type()
    {
        Assert.That(EventTypes.All, Has.Count.GreaterThan(30));
        Assert.That(EventTypes.All["invoice.issued"], Is.EqualTo(typeof(InvoiceIssued)));
        Assert.That(EventTypes.All.Keys, Has.None.Contains("command"), "commands are not events");
    }

    [TestCase("*", "invoice.issued", true)]
    [TestCase("invoice.*", "invoice.issued", true)]
    [TestCase("invoice.*", "invoice_line.added", false)]
    [TestCase("service.activated", "service.activated", true)]
    [TestCase("service.activated", "service.suspended", false)]
    public void A_pattern_takes_its_types(string pattern, string type, bool matches) =>
        Assert.That(EventTypes.Matches(pattern, type), Is.EqualTo(matches));

    [TestCase("invoice.*", true)]
    [TestCase("nothing.*", false)]
    [TestCase("invoice.paid_twice", false)]
    public void Only_patterns_that_take_a_known_type_are_valid(string pattern, bool valid) =>
        Assert.That(EventTypes.IsKnownPattern(pattern), Is.EqualTo(valid));

    [TestCase("169.254.169.254")]
    [TestCase("10.1.2.3")]
    [TestCase("172.16.0.1")]
    [TestCase("172.31.255.255")]
    [TestCase("192.168.0.1")]
    [TestCase("100.64.0.1")]
    [TestCase("0.0.0.0")]
    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    [TestCase("fe80::1")]
    [TestCase("fd00:ec2::254")]
    [TestCase("::ffff:10.0.0.1")]
    [TestCase("64:ff9b::a9fe:a9fe")]
    [TestCase("224.0.0.1")]
    [TestCase("2002:a9fe:a9fe::1")]
    [TestCase("::10.0.0.1")]
    [TestCase("64:ff9b:1::a00:1")]
    public void Internal_addresses_are_refused_outside_development(string address) =>
        Assert.That(new WebhookUrlPolicy(development: false).Refusal(IPAddress.Parse(address)), Is.Not.Null);

    [TestCase("203.0.113.7")]
    [TestCase("8.8.8.8")]
    [TestCase("172.32.0.1")]
    [TestCase("2001:db8::1")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.That(new WebhookUrlPolicy(development: false).Refusal(IPAddress.Parse(address)), Is.Null);

    [Test]
    public async Task Loopback_over_http_is_allowed_in_development_only()
    {
        Assert.That(await new WebhookUrlPolicy(development: true).RefusalAsync("http://127.0.0.1:9000/hook", CancellationToken.None), Is.Null);
        Assert.That(await new WebhookUrlPolicy(development: true).RefusalAsync("http://203.0.113.7/hook", CancellationToken.None), Does.Contain("https"));
        Assert.That(await new WebhookUrlPolicy(development: false).RefusalAsync("http://127.0.0.1:9000/hook", CancellationToken.None), Is.Not.Null);
        Assert.That(await new WebhookUrlPolicy(development: false).RefusalAsync("https://203.0.113.7/hook", CancellationToken.None), Is.Null);
        Assert.That(await new WebhookUrlPolicy(development: false).RefusalAsync("https://user:pw@203.0.113.7/hook", CancellationToken.None), Does.Contain("credentials"));
    }

    // The example of the Standard Webhooks specification's reference libraries.
    [Test]
    public void The_signature_is_the_standard_webhooks_one()
    {
        var body = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");
        var signature = WebhookSignature.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        Assert.That(signature, Is.EqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
        Assert.That(WebhookSignature.Verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body, $"v1,bm90IGl0 {signature}"), Is.True);
        Assert.That(WebhookSignature.Verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265331", body, signature), Is.False);
    }

    [Test]
    public void A_new_secret_is_32_random_bytes()
    {
        var secret = WebhookSignature.NewSecret();
        Assert.That(Convert.FromBase64String(secret["whsec_".Length..]), Has.Length.EqualTo(32));
        Assert.That(WebhookSignature.NewSecret(), Is.Not.EqualTo(secret));
    }

    [Test]
    public void A_cursor_reads_back_what_it_was_and_garbage_is_a_problem()
    {
        var cursor = new HistoryCursor(new DateTime(2026, 12, 2, 10, 11, 12, DateTimeKind.Utc).AddTicks(1234), Guid.NewGuid());
        Assert.That(HistoryCursor.Parse(cursor.ToString()), Is.EqualTo(cursor));
        Assert.That(HistoryCursor.Parse(null), Is.Null);
        Assert.That(() => HistoryCursor.Parse("not-a-cursor"), Throws.TypeOf<ValidationFailedException>());
        Assert.That(() => HistoryCursor.Parse("MTIzOmFiYw"), Throws.TypeOf<ValidationFailedException>());
    }
}
