using System.Text.Json;

namespace DotMac.Events.History;

/// <summary>
/// An integration event as it arrived, read from MassTransit's envelope: the message exactly as its publisher wrote it
/// (kept as the payload), the contract it was published as, and the ids that tie it to others.
/// </summary>
public sealed record RecordedEvent(
    Guid MessageId,
    Guid TenantId,
    string EventType,
    string Contract,
    DateTimeOffset OccurredAt,
    Guid? CorrelationId,
    Guid? ConversationId,
    Guid? CausationId,
    string? TraceId,
    Guid[] SubjectIds,
    string Payload)
{
    const string UrnPrefix = "urn:message:";

    /// <summary>Reads the envelope's body; the contract is the first (most specific) of its message types.</summary>
    public static RecordedEvent Read(ReadOnlySpan<byte> envelope, string[] messageTypes, Guid messageId, Guid? correlationId, Guid? conversationId,
        Guid? initiatorId, string? traceId)
    {
        using var document = JsonDocument.Parse(envelope.ToArray());
        var message = document.RootElement.GetProperty("message");
        var contract = ContractOf(messageTypes.FirstOrDefault() ?? throw new InvalidDataException("The envelope names no message type."));
        var tenant = message.TryGetProperty("tenantId", out var t) && t.TryGetGuid(out var tenantId)
            ? tenantId
            : throw new InvalidDataException($"{contract} has no tenantId.");
        var occurred = message.TryGetProperty("occurredAt", out var o) && o.TryGetDateTimeOffset(out var occurredAt)
            ? occurredAt
            : throw new InvalidDataException($"{contract} has no occurredAt.");
        var subjects = new HashSet<Guid>();
        CollectSubjects(message, subjects, 0);
        return new RecordedEvent(messageId, tenant, EventTypes.NameOf(contract[(contract.LastIndexOf('.') + 1)..]), contract, occurred,
            correlationId, conversationId, initiatorId, traceId, [.. subjects], message.GetRawText());
    }

    /// <summary>"urn:message:DotMac.Contracts.Services:ServiceActivated" is DotMac.Contracts.Services.ServiceActivated.</summary>
    public static string ContractOf(string urn)
    {
        var name = urn.StartsWith(UrnPrefix, StringComparison.Ordinal) ? urn[UrnPrefix.Length..] : urn;
        return name.Replace(':', '.');
    }

    // Every "...Id" property holding a UUID (customer, order, invoice, device...), nested records included; the tenant is not a subject.
    static void CollectSubjects(JsonElement element, HashSet<Guid> subjects, int depth)
    {
        if (depth > 4)
            return;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String && property.Name.EndsWith("Id", StringComparison.Ordinal)
                        && property.Name != "tenantId" && property.Value.TryGetGuid(out var id) && id != Guid.Empty)
                        subjects.Add(id);
                    else
                        CollectSubjects(property.Value, subjects, depth + 1);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    CollectSubjects(item, subjects, depth + 1);
                break;
        }
    }
}
