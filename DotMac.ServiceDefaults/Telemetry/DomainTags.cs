using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq.Expressions;
using System.Reflection;

namespace DotMac.ServiceDefaults.Telemetry;

/// <summary>
/// The domain ids a message carries (tenant, order, invoice, device, ...) as span attributes: "dotmac.order.id" on the
/// span that writes a message to the outbox and on the span that consumes it, so an order, an invoice or a tenant finds
/// its traces in any trace viewer. Read once per message type through compiled getters.
/// </summary>
public static class DomainTags
{
    static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["TenantId"] = "dotmac.tenant.id",
        ["OrderId"] = "dotmac.order.id",
        ["InvoiceId"] = "dotmac.invoice.id",
        ["DeviceId"] = "dotmac.device.id",
        ["CustomerId"] = "dotmac.customer.id",
        ["ServiceId"] = "dotmac.service.id",
        ["SubscriptionId"] = "dotmac.subscription.id",
        ["AccountId"] = "dotmac.account.id",
        ["PaymentId"] = "dotmac.payment.id",
        ["CycleId"] = "dotmac.cycle.id",
        ["CreditNoteId"] = "dotmac.credit_note.id",
    };

    static readonly ConcurrentDictionary<Type, (string Tag, Func<object, object?> Read)[]> Readers = new();

    public const string Tenant = "dotmac.tenant.id";

    public static void Tag(Activity? activity, object? message)
    {
        if (activity is null || !activity.IsAllDataRequested || message is null)
            return;
        // The first message a span handles names it: a batch (a billing cycle's thousands of InvoiceIssued in one
        // span) keeps its first invoice rather than being rewritten once per message.
        foreach (var (tag, read) in Readers.GetOrAdd(message.GetType(), Build))
        {
            if (activity.GetTagItem(tag) is null && read(message) is { } value && !(value is Guid g && g == Guid.Empty))
                activity.SetTag(tag, value.ToString());
        }
    }

    static (string, Func<object, object?>)[] Build(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && Names.ContainsKey(p.Name)
                && (p.PropertyType == typeof(Guid) || p.PropertyType == typeof(Guid?) || p.PropertyType == typeof(string)))
            .Select(p => (Names[p.Name], Getter(type, p)))];

    static Func<object, object?> Getter(Type type, PropertyInfo property)
    {
        var instance = Expression.Parameter(typeof(object));
        var body = Expression.Convert(Expression.Property(Expression.Convert(instance, type), property), typeof(object));
        return Expression.Lambda<Func<object, object?>>(body, instance).Compile();
    }
}
