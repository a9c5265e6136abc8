using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MassTransit;

namespace DotMac.Ops.Scheduling;

/// <summary>
/// Turns the envelope of a received ScheduleMessage (or ScheduleRecurringMessage) into the envelope to send when it
/// is due: the payload and its message types, the conversation it belongs to, and the headers the scheduling side
/// set (the redelivery count among them). Works on the raw JSON, so ops needs none of the services' message types.
/// </summary>
public static class ScheduledEnvelope
{
    public const string ContentType = "application/vnd.masstransit+json";

    public sealed record Parsed(string Envelope, string[] MessageTypes, Uri Destination);

    public static Parsed FromScheduleCommand(ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        var message = Property(root, "message") ?? throw new FormatException("The scheduling command has no message.");
        var payload = Property(message, "payload") ?? throw new FormatException("The scheduling command has no payload.");
        var destination = Property(message, "destination")?.GetString() ?? throw new FormatException("The scheduling command has no destination.");
        var types = Property(message, "payloadType")?.EnumerateArray().Select(t => t.GetString()!).ToArray() ?? [];
        if (types.Length == 0)
            throw new FormatException("The scheduling command names no payload type.");

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Copy(root, writer, "conversationId");
            Copy(root, writer, "initiatorId");
            Copy(root, writer, "sourceAddress");
            writer.WriteString("destinationAddress", destination);
            writer.WriteStartArray("messageType");
            foreach (var type in types)
                writer.WriteStringValue(type);
            writer.WriteEndArray();
            writer.WritePropertyName("message");
            payload.WriteTo(writer);
            writer.WritePropertyName("headers");
            if (Property(root, "headers") is { ValueKind: JsonValueKind.Object } headers)
                headers.WriteTo(writer);
            else
                writer.WriteRawValue("{}");
            writer.WriteEndObject();
        }
        return new Parsed(Encoding.UTF8.GetString(buffer.ToArray()), types, new Uri(destination));
    }

    /// <summary>The id of one firing: the token for a one-off (so a re-sent firing is recognised), else token + occurrence.</summary>
    public static Guid MessageId(Guid tokenId, bool recurring, DateTime dueAt)
    {
        if (!recurring)
            return tokenId;
        Span<byte> input = stackalloc byte[24];
        tokenId.TryWriteBytes(input);
        BitConverter.TryWriteBytes(input[16..], dueAt.ToUniversalTime().Ticks);
        return new Guid(SHA256.HashData(input)[..16]);
    }

    /// <summary>Transport headers of a firing, as JSON: MassTransit's state machines match timeouts by this token.</summary>
    public static string Headers(Guid tokenId, DateTime dueAt) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        [MessageHeaders.SchedulingTokenId] = tokenId.ToString("D"),
        [MessageHeaders.Quartz.Scheduled] = dueAt.ToUniversalTime().ToString("O"),
    });

    static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return null;
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind != JsonValueKind.Null)
                return property.Value;
        }
        return null;
    }

    static void Copy(JsonElement root, Utf8JsonWriter writer, string name)
    {
        if (Property(root, name) is { } value)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }
}
