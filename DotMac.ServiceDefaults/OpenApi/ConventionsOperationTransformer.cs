using System.Reflection;
using System.Text.Json;
using DotMac.ServiceDefaults.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace DotMac.ServiceDefaults.OpenApi;

/// <summary>
/// What the shared middleware does to every endpoint, written into its operation: who may call it (bearer or client
/// credentials with the permission's scope), the problem answers it can give, the Idempotency-Key rule, and its example.
/// </summary>
sealed class ConventionsOperationTransformer : IOpenApiOperationTransformer
{
    static readonly (string Status, string Description)[] Always =
    [
        ("400", "Bad request: malformed JSON, an unknown or missing member, a wrong type, or a missing required header."),
        ("429", "Too many requests (the gateway's rate limit); Retry-After says when to try again."),
    ];

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod?.ToUpperInvariant() ?? "GET";
        operation.OperationId ??= OperationId(operation, metadata, description.RelativePath);

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var permission = metadata.OfType<PermissionMetadata>().LastOrDefault();
        if (!anonymous)
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocs.BearerScheme, context.Document)] = [] },
                new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(ApiDocs.ClientCredentialsScheme, context.Document)] =
                        permission is not null && ApiDocs.ClientScopes.ContainsKey(permission.Scope) ? [permission.Scope] : [],
                },
            ];
            if (permission is not null)
                operation.Description = Append(operation.Description, $"Requires the permission `{permission.Scope}` (a role's grant, or an API client's scope).");
        }

        var responses = operation.Responses ??= new OpenApiResponses();
        foreach (var (status, text) in Always)
            AddProblem(responses, status, text, context.Document);
        if (!anonymous)
        {
            AddProblem(responses, "401", "No valid access token.", context.Document);
            AddProblem(responses, "403", "The token lacks the permission, or the resource belongs to another tenant.", context.Document);
        }
        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path))
            AddProblem(responses, "404", "No such resource (in the caller's tenant).", context.Document);
        if (method is "POST" or "PUT" or "PATCH" or "DELETE")
            AddProblem(responses, "409", "The change conflicts with the resource's state (a duplicate, or a state that does not allow it).", context.Document);
        if (method is "POST" or "PUT" or "PATCH" || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Query))
            AddProblem(responses, "422", "The request is well-formed but a value is invalid; `errors` names each field.", context.Document);

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            if (string.Equals(parameter.Name, IdempotencyKeys.Header, StringComparison.OrdinalIgnoreCase))
                parameter.Description = "1 to 200 characters, unique per intended change: a repeat with the same key and body answers the first "
                    + "result again; the same key with another body is 422.";

        if (metadata.OfType<RequestExampleMetadata>().LastOrDefault() is { } example && operation.RequestBody?.Content is { } content)
        {
            var json = context.ApplicationServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            foreach (var media in content.Where(c => c.Key.Contains("json", StringComparison.Ordinal)))
                media.Value.Example = JsonSerializer.SerializeToNode(example.Example, example.Example.GetType(), json);
        }
        return Task.CompletedTask;
    }

    static void AddProblem(OpenApiResponses responses, string status, string description, OpenApiDocument? document)
    {
        if (responses.ContainsKey(status))
            return;
        responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ApiDocs.ProblemSchema, document) },
            },
        };
    }

    /// <summary>
    /// "{Tag}_{Handler}" from the handler's method name ("Plans_Create"), or for a lambda from the path's last word
    /// ("Services_Suspend" for .../{id}/suspend); a clash is resolved by the document.
    /// </summary>
    static string? OperationId(OpenApiOperation operation, IList<object> metadata, string? path)
    {
        var handler = metadata.OfType<MethodInfo>().FirstOrDefault();
        var name = handler is null || handler.Name.Contains('<', StringComparison.Ordinal)
            ? (path ?? "").Split('/').LastOrDefault(s => s.Length > 0 && !s.StartsWith('{'))
            : handler.Name.EndsWith("Async", StringComparison.Ordinal) ? handler.Name[..^5] : handler.Name;
        if (string.IsNullOrEmpty(name))
            return null;
        var tag = operation.Tags?.FirstOrDefault()?.Name ?? "Api";
        return $"{ServiceDocumentTransformer.Identifier(tag)}_{ServiceDocumentTransformer.Identifier(name)}";
    }

    static string Append(string? text, string sentence) => string.IsNullOrEmpty(text) ? sentence : $"{text}\n\n{sentence}";
}
