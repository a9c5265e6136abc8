using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using DotMac.Contracts;
using DotMac.ServiceDefaults.Messaging;

namespace DotMac.Devtools.Catalog;

/// <summary>
/// The AsyncAPI 3.0 document of every message in DotMac.Contracts, generated from the types themselves: one channel
/// per message (MassTransit's exchange of that type, fanout), its payload as JSON Schema from the record (camelCase as
/// the bus serializes it, nullability, uuid/date-time/date/decimal formats, required members), its publisher (the
/// contract's <see cref="PublishedByAttribute"/>) and its consumers (read from the services' registrations).
/// </summary>
public static class AsyncApiCatalog
{
    public const string Version = "1.0.0";

    /// <summary>Every message: integration events, commands (records named ...Command) and whatever else names its publisher.</summary>
    public static IReadOnlyList<Type> Messages(Assembly contracts) =>
        contracts.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.Namespace?.StartsWith("DotMac.Contracts.", StringComparison.Ordinal) == true)
            .Where(t => typeof(IIntegrationEvent).IsAssignableFrom(t) || t.Name.EndsWith("Command", StringComparison.Ordinal)
                || t.GetCustomAttribute<PublishedByAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();

    /// <summary>The id of a message in the catalog: its domain and name ("Billing.InvoiceIssued").</summary>
    public static string Id(Type message) => $"{message.Namespace!["DotMac.Contracts.".Length..]}.{message.Name}";

    /// <summary>The exchange MassTransit publishes the message to.</summary>
    public static string Exchange(Type message) => $"{message.Namespace}:{message.Name}";

    public static JsonObject Build(Assembly contracts, IReadOnlyDictionary<string, IReadOnlyList<string>> consumers)
    {
        var channels = new JsonObject();
        var operations = new JsonObject();
        var messages = new JsonObject();
        var schemas = new JsonObject();
        foreach (var type in Messages(contracts))
        {
            var id = Id(type);
            var isEvent = !type.Name.EndsWith("Command", StringComparison.Ordinal);
            var integration = typeof(IIntegrationEvent).IsAssignableFrom(type);
            var publisher = type.GetCustomAttribute<PublishedByAttribute>()?.Service
                ?? throw new InvalidOperationException($"{type.FullName} has no [PublishedBy]: say which service publishes it.");
            var readers = consumers.GetValueOrDefault(type.FullName!, []);
            schemas[id] = Schema(type);
            messages[id] = new JsonObject
            {
                ["name"] = type.Name,
                ["title"] = type.Name,
                ["summary"] = isEvent ? $"Event of {publisher}." : $"Command sent by {publisher}.",
                ["contentType"] = "application/json",
                ["payload"] = Ref($"#/components/schemas/{id}"),
                ["x-dotmac-kind"] = isEvent ? "event" : "command",
                ["x-dotmac-contract"] = type.FullName,
                ["x-dotmac-webhook-type"] = integration ? EventNames.PublicName(type.Name) : null,
                ["x-dotmac-publisher"] = publisher,
                ["x-dotmac-consumers"] = new JsonArray([.. readers.Select(r => JsonValue.Create(r))]),
            };
            channels[id] = new JsonObject
            {
                ["address"] = Exchange(type),
                ["title"] = type.Name,
                ["description"] = $"The fanout exchange {Exchange(type)}; each consuming service binds its own queue to it.",
                ["messages"] = new JsonObject { [type.Name] = Ref($"#/components/messages/{id}") },
                ["bindings"] = new JsonObject
                {
                    ["amqp"] = new JsonObject
                    {
                        ["is"] = "routingKey",
                        ["exchange"] = new JsonObject { ["name"] = Exchange(type), ["type"] = "fanout", ["durable"] = true, ["autoDelete"] = false },
                        ["bindingVersion"] = "0.3.0",
                    },
                },
            };
            operations[$"{publisher}.send.{id}"] = Operation("send", id, type.Name, publisher);
            foreach (var reader in readers)
                operations[$"{reader}.receive.{id}"] = Operation("receive", id, type.Name, reader);
        }
        return new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["info"] = new JsonObject
            {
                ["title"] = "DotMac integration events and commands",
                ["version"] = Version,
                ["description"] = "Every message DotMac's services exchange over RabbitMQ (MassTransit), generated from DotMac.Contracts by "
                    + "devtools (`dotnet run --project services/devtools/DotMac.Devtools -- catalog --write`). On the wire each payload is the "
                    + "`message` of MassTransit's JSON envelope; partners receive events through webhooks with the payload as the body and "
                    + "the type of `x-dotmac-webhook-type` (docs/events.md). Contracts change additively only: a test compares this document "
                    + "with the contracts and fails on a removed, renamed or retyped field, or a new required one.",
            },
            ["defaultContentType"] = "application/json",
            ["servers"] = new JsonObject
            {
                ["rabbitmq"] = new JsonObject
                {
                    ["host"] = "localhost:5672",
                    ["protocol"] = "amqp",
                    ["protocolVersion"] = "0-9-1",
                    ["description"] = "The fleet's broker (the AppHost's, or the cluster's in Kubernetes).",
                },
            },
            ["channels"] = channels,
            ["operations"] = operations,
            ["components"] = new JsonObject { ["messages"] = messages, ["schemas"] = schemas },
        };
    }

    static JsonObject Operation(string action, string id, string name, string service) => new()
    {
        ["action"] = action,
        ["title"] = $"{service} {(action == "send" ? "publishes" : "consumes")} {name}",
        ["channel"] = Ref($"#/channels/{id}"),
        ["messages"] = new JsonArray(Ref($"#/channels/{id}/messages/{name}")),
        ["x-dotmac-service"] = service,
    };

    static JsonObject Ref(string target) => new() { ["$ref"] = target };

    static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The payload's JSON Schema as the bus serializes it (camelCase), with the formats partners need.</summary>
    public static JsonNode Schema(Type type)
    {
        var schema = Wire.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                if (node is not JsonObject schema)
                    return node;
                var clr = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
                var format = clr == typeof(decimal) ? "decimal"
                    : clr == typeof(int) ? "int32"
                    : clr == typeof(long) ? "int64"
                    : clr == typeof(double) ? "double"
                    : null;
                if (format is not null && !schema.ContainsKey("format"))
                    schema["format"] = format;
                if (context.PropertyInfo is null && context.TypeInfo.Type == type)
                    schema["title"] = type.Name;
                return schema;
            },
        });
        return schema;
    }
}
