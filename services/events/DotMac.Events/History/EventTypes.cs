using DotMac.Contracts;
using DotMac.ServiceDefaults.Messaging;

namespace DotMac.Events.History;

/// <summary>
/// The public name of an integration event, as partners see it in the history and subscribe to it in webhooks:
/// "ServiceActivated" is "service.activated", "TenantBillingSettingsChanged" is "tenant_billing_settings.changed",
/// "UserLockedOut" is "user.locked_out" (<see cref="EventNames"/>, shared with devtools' event catalog).
/// Every <see cref="IIntegrationEvent"/> of DotMac.Contracts is known without being listed here.
/// </summary>
public static class EventTypes
{
    /// <summary>Every integration event of DotMac.Contracts, by public name.</summary>
    public static readonly IReadOnlyDictionary<string, Type> All = typeof(IIntegrationEvent).Assembly.GetExportedTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IIntegrationEvent).IsAssignableFrom(t))
        .ToDictionary(NameOf, t => t, StringComparer.Ordinal);

    public static string NameOf(Type type) => NameOf(type.Name);

    public static string NameOf(string contractName) => EventNames.PublicName(contractName);

    /// <summary>Whether a subscription's pattern ("*", "invoice.*", "service.activated") takes an event type.</summary>
    public static bool Matches(string pattern, string type) =>
        pattern == "*" || pattern == type || pattern.EndsWith(".*", StringComparison.Ordinal) && type.StartsWith(pattern[..^1], StringComparison.Ordinal);

    /// <summary>A pattern is valid when it is "*" or takes at least one known event type.</summary>
    public static bool IsKnownPattern(string pattern) => All.Keys.Any(type => Matches(pattern, type));
}
