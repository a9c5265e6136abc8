using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Problems;

namespace DotMac.Events.History;

/// <summary>One event of the history, as the API answers it; the payload is the event exactly as it was published.</summary>
public sealed record HistoryEvent(
    Guid Id,
    string Type,
    string Contract,
    Guid TenantId,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    Guid? CorrelationId,
    Guid? ConversationId,
    Guid? CausationId,
    string? TraceId,
    JsonElement Payload);

/// <summary>A page of the history and the cursor of the next one (null at the end).</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryEvent> Items, string? NextCursor, string Order);

internal sealed record HistoryRow(Guid MessageId, Guid TenantId, string EventType, string Contract, DateTime OccurredAt, DateTime RecordedAt,
    Guid? CorrelationId, Guid? ConversationId, Guid? CausationId, string? TraceId, string Payload)
{
    public HistoryEvent ToResponse()
    {
        using var document = JsonDocument.Parse(Payload);
        return new HistoryEvent(MessageId, EventType, Contract, TenantId, Times.Utc(OccurredAt), Times.Utc(RecordedAt),
            CorrelationId, ConversationId, CausationId, TraceId, document.RootElement.Clone());
    }
}

/// <summary>
/// Where a page ended: the last event's occurred time (in ticks) and id, opaque to callers (base64url). Keyset
/// pagination: a page is as fast deep in the history as at its start, and events recorded meanwhile move nothing.
/// </summary>
public readonly record struct HistoryCursor(DateTime OccurredAt, Guid Id)
{
    public override string ToString() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{OccurredAt.Ticks.ToString(CultureInfo.InvariantCulture)}:{Id:N}"));

    public static HistoryCursor? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return null;
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(value)).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks is > 0 and < 3155378975999999999 && Guid.TryParseExact(parts[1], "N", out var id))
                return new HistoryCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        }
        catch (FormatException)
        {
            // Falls through to the problem below.
        }
        throw new ValidationFailedException("cursor", "Not a cursor of this list: pass the nextCursor of the previous page.");
    }
}
