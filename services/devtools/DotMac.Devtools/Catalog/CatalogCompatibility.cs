using System.Text.Json.Nodes;

namespace DotMac.Devtools.Catalog;

/// <summary>
/// Whether a new catalog is an additive change of an earlier one: no message removed, no field removed or renamed
/// (a rename is a removal), no field retyped (its type, format or nullability), no field made required that was not,
/// and no new required field (a message already on its way lacks it: a new field has a default). New messages and new
/// optional fields are fine. Consumers read old and new messages alike only under these rules.
/// </summary>
public static class CatalogCompatibility
{
    public static IReadOnlyList<string> Breaks(JsonObject committed, JsonObject current)
    {
        var breaks = new List<string>();
        var before = Schemas(committed);
        var after = Schemas(current);
        foreach (var (id, old) in before)
        {
            if (!after.TryGetValue(id, out var now))
            {
                breaks.Add($"{id}: the message was removed.");
                continue;
            }
            Compare(id, old, now, breaks);
        }
        return breaks;
    }

    static void Compare(string where, JsonObject old, JsonObject now, List<string> breaks)
    {
        if (Shape(old) != Shape(now))
            breaks.Add($"{where}: the type changed from {Shape(old)} to {Shape(now)}.");
        var oldRequired = Required(old);
        var newRequired = Required(now);
        foreach (var field in newRequired.Except(oldRequired))
            breaks.Add(old["properties"]?[field] is not null
                ? $"{where}.{field}: the field became required."
                : $"{where}.{field}: a new field is required; give it a default (messages on their way lack it).");
        if (old["properties"] is JsonObject oldProperties)
        {
            var newProperties = now["properties"] as JsonObject ?? [];
            foreach (var (field, schema) in oldProperties)
            {
                if (newProperties[field] is not JsonObject replacement)
                    breaks.Add($"{where}.{field}: the field was removed or renamed.");
                else if (schema is JsonObject original)
                    Compare($"{where}.{field}", original, replacement, breaks);
            }
        }
        if (old["items"] is JsonObject oldItems && now["items"] is JsonObject newItems)
            Compare($"{where}[]", oldItems, newItems, breaks);
    }

    /// <summary>A schema's type, format and nullability as one comparable text ("string|null uuid").</summary>
    static string Shape(JsonObject schema)
    {
        var type = schema["type"] switch
        {
            JsonArray types => string.Join('|', types.Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal)),
            JsonValue single => single.GetValue<string>(),
            _ => "any",
        };
        return schema["format"] is JsonValue format ? $"{type} {format.GetValue<string>()}" : type;
    }

    static HashSet<string> Required(JsonObject schema) =>
        (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);

    static Dictionary<string, JsonObject> Schemas(JsonObject catalog) =>
        (catalog["components"]?["schemas"] as JsonObject ?? [])
            .Where(s => s.Value is JsonObject)
            .ToDictionary(s => s.Key, s => (JsonObject)s.Value!, StringComparer.Ordinal);
}
