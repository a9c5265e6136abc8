using System.Reflection;
using System.Text.Json.Nodes;
using DotMac.Devtools.Catalog;
using NUnit.Framework;

namespace DotMac.Contracts.Tests;

/// <summary>
/// The committed event catalog (services/devtools/DotMac.Devtools/Catalog/asyncapi.json) against the contracts as they
/// are: a non-additive change fails here, and so does a catalog nobody regenerated.
/// </summary>
[TestFixture]
public sealed class The_event_catalog
{
    static readonly string Root = CatalogCommand.RepositoryRoot(AppContext.BaseDirectory);
    static readonly string Configuration = typeof(The_event_catalog).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    JsonObject _current = null!;
    JsonObject _committed = null!;

    [OneTimeSetUp]
    public void Generate()
    {
        _current = CatalogCommand.Generate(Root, Configuration);
        _committed = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, CatalogCommand.CommittedPath)))!.AsObject();
    }

    [Test]
    public void Should_keep_every_committed_message_and_field_as_it_was()
    {
        var breaks = CatalogCompatibility.Breaks(_committed, _current);

        Assert.That(breaks, Is.Empty, "a contract changed in a way its consumers cannot read: add a field (or a new message type) instead");
    }

    [Test]
    public void Should_be_committed_as_generated()
    {
        Assert.That(CatalogCommand.Render(_committed), Is.EqualTo(CatalogCommand.Render(_current)),
            "regenerate it: dotnet run --project services/devtools/DotMac.Devtools -- catalog --write");
    }

    [Test]
    public void Should_list_every_integration_event_and_command_with_its_publisher()
    {
        var messages = _current["components"]!["messages"]!.AsObject();
        var expected = typeof(IIntegrationEvent).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && (typeof(IIntegrationEvent).IsAssignableFrom(t) || t.Name.EndsWith("Command", StringComparison.Ordinal)))
            .Select(AsyncApiCatalog.Id);

        Assert.That(messages.Select(m => m.Key), Is.SupersetOf(expected));
        Assert.That(messages.Where(m => string.IsNullOrEmpty(m.Value!["x-dotmac-publisher"]?.GetValue<string>())).Select(m => m.Key), Is.Empty);
    }

    [Test]
    public void Should_read_consumers_from_the_services_registrations()
    {
        var messages = _current["components"]!["messages"]!.AsObject();
        string[] Consumers(string id) => [.. messages[id]!["x-dotmac-consumers"]!.AsArray().Select(c => c!.GetValue<string>())];

        Assert.That(Consumers("Provisioning.AllocateIpCommand"), Is.EqualTo(new[] { "networking" }), "networking's IConsumer<AllocateIpCommand>");
        Assert.That(Consumers("Provisioning.IpAssigned"), Does.Contain("services"), "the provisioning saga's Event<IpAssigned>");
        Assert.That(Consumers("Billing.InvoiceIssued"), Does.Contain("events"), "the history's IConsumer<IIntegrationEvent> takes every event");
        Assert.That(Consumers("Platform.FeatureFlagChanged"), Does.Contain("events"), "the events service keeps a flag cache");
    }

    [Test]
    public void Should_describe_payloads_with_formats_and_nullability()
    {
        var payload = _current["components"]!["schemas"]!["Provisioning.ApplyNetworkProfileCommand"]!.AsObject();
        var properties = payload["properties"]!.AsObject();

        Assert.That(properties["orderId"]!["format"]!.GetValue<string>(), Is.EqualTo("uuid"));
        Assert.That(properties["downloadKbps"]!["type"]!.GetValue<string>(), Is.EqualTo("integer"));
        Assert.That(properties["burstDownloadKbps"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EquivalentTo(new[] { "integer", "null" }));
        Assert.That(payload["required"]!.AsArray().Select(r => r!.GetValue<string>()), Does.Contain("username"));
        var invoice = _current["components"]!["schemas"]!["Billing.InvoiceIssued"]!["properties"]!.AsObject();
        Assert.That(invoice["total"]!["format"]!.GetValue<string>(), Is.EqualTo("decimal"));
        Assert.That(invoice["occurredAt"]!["format"]!.GetValue<string>(), Is.EqualTo("date-time"));
    }

    // The same contract before and after a change, as the compatibility rule sees it.
    public sealed record InvoiceV1(Guid TenantId, Guid InvoiceId, decimal Total, string Currency);
    public sealed record InvoiceRemoved(Guid TenantId, Guid InvoiceId, decimal Total);
    public sealed record InvoiceRenamed(Guid TenantId, Guid InvoiceId, decimal Amount, string Currency);
    public sealed record InvoiceRetyped(Guid TenantId, Guid InvoiceId, string Total, string Currency);
    public sealed record InvoiceNullable(Guid TenantId, Guid InvoiceId, decimal? Total, string Currency);
    public sealed record InvoiceNewRequired(Guid TenantId, Guid InvoiceId, decimal Total, string Currency, string PurchaseOrder);
    public sealed record InvoiceAdded(Guid TenantId, Guid InvoiceId, decimal Total, string Currency, string? PurchaseOrder = null);

    static JsonObject CatalogOf(Type payload) =>
        new() { ["components"] = new JsonObject { ["schemas"] = new JsonObject { ["Billing.Invoice"] = AsyncApiCatalog.Schema(payload) } } };

    [TestCase(typeof(InvoiceRemoved), "Billing.Invoice.currency: the field was removed or renamed.")]
    [TestCase(typeof(InvoiceRenamed), "Billing.Invoice.total: the field was removed or renamed.")]
    [TestCase(typeof(InvoiceRetyped), "Billing.Invoice.total: the type changed from number decimal to string.")]
    [TestCase(typeof(InvoiceNullable), "Billing.Invoice.total: the type changed from number decimal to null|number decimal.")]
    [TestCase(typeof(InvoiceNewRequired), "Billing.Invoice.purchaseOrder: a new field is required; give it a default (messages on their way lack it).")]
    public void Should_refuse_a_change_that_is_not_additive(Type changed, string expected)
    {
        var breaks = CatalogCompatibility.Breaks(CatalogOf(typeof(InvoiceV1)), CatalogOf(changed));

        Assert.That(breaks, Does.Contain(expected));
    }

    [Test]
    public void Should_accept_an_added_optional_field_and_a_new_message()
    {
        var before = CatalogOf(typeof(InvoiceV1));
        var after = CatalogOf(typeof(InvoiceAdded));
        after["components"]!["schemas"]!["Billing.CreditNote"] = AsyncApiCatalog.Schema(typeof(InvoiceV1));

        Assert.That(CatalogCompatibility.Breaks(before, after), Is.Empty);
    }

    [Test]
    public void Should_fail_when_a_field_is_removed_from_a_real_contract()
    {
        // The committed catalog as it would be compared after someone deleted InvoiceIssued's amountDue.
        var current = _current.DeepClone().AsObject();
        current["components"]!["schemas"]!["Billing.InvoiceIssued"]!["properties"]!.AsObject().Remove("amountDue");

        Assert.That(CatalogCompatibility.Breaks(_committed, current), Does.Contain("Billing.InvoiceIssued.amountDue: the field was removed or renamed."));
        current["components"]!["schemas"]!.AsObject().Remove("Billing.InvoiceIssued");
        Assert.That(CatalogCompatibility.Breaks(_committed, current), Does.Contain("Billing.InvoiceIssued: the message was removed."));
    }
}
