using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DotMac.ServiceDefaults.OpenApi;

/// <summary>The document's title, version, security schemes and shared schemas; operation ids made unique.</summary>
sealed class ServiceDocumentTransformer(ServiceIdentity service, string version) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = $"DotMac {service.Name} API",
            Version = version,
            Description = $"The {service.Name} service of DotMac, API {version} (build {service.Version}). Through the gateway every path is "
                + $"/api/{version}/{service.Name}/...; errors are RFC 7807 problem details; lists, filters and idempotency follow "
                + "docs/api-conventions.md. Authenticate with a user's access token (POST /api/v1/identity/auth/login) or an API "
                + "client's (OAuth 2.0 client credentials at " + ApiDocs.TokenPath + ").",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiDocs.BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from identity: a staff or portal login, or an API client's token (ES256 JWT, 15 minutes).",
        };
        document.Components.SecuritySchemes[ApiDocs.ClientCredentialsScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "A partner's API client (created by a tenant admin at /api/v1/identity/clients) exchanges its id and secret for a token.",
            Flows = new OpenApiOAuthFlows
            {
                ClientCredentials = new OpenApiOAuthFlow
                {
                    TokenUrl = new Uri(ApiDocs.TokenPath, UriKind.Relative),
                    Scopes = ApiDocs.ClientScopes.ToDictionary(s => s.Key, s => s.Value),
                },
            },
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ApiDocs.ProblemSchema] = ProblemSchema();
        UniqueOperationIds(document);
        return Task.CompletedTask;
    }

    /// <summary>RFC 7807 with what DotMac adds: a stable code, field errors, the trace and request ids.</summary>
    static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 7807 problem details.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI reference naming the kind of problem." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A stable, machine-readable reason (e.g. idempotency_key.required)." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "For 400 and 422: the messages of each invalid field.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["requestId"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };

    /// <summary>Operation ids as generators want them: present and unique ("Plans_Create"; a clash gets the method and path).</summary>
    static void UniqueOperationIds(OpenApiDocument document)
    {
        var operations = (document.Paths ?? new OpenApiPaths())
            .SelectMany(p => (p.Value.Operations ?? []).Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value)))
            .ToList();
        foreach (var clash in operations.GroupBy(o => o.Operation.OperationId ?? "", StringComparer.OrdinalIgnoreCase).Where(g => g.Key == "" || g.Count() > 1))
            foreach (var (path, method, operation) in clash)
                operation.OperationId = Identifier($"{Tag(operation)}_{method}{path}");
    }

    static string Tag(OpenApiOperation operation) => Identifier(operation.Tags?.FirstOrDefault()?.Name ?? "Api");

    internal static string Identifier(string text)
    {
        var builder = new System.Text.StringBuilder();
        var upper = true;
        foreach (var c in text)
        {
            if (c == '_' && builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
                upper = true;
            }
            else if (char.IsLetterOrDigit(c))
            {
                builder.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
                upper = true;
        }
        return builder.ToString();
    }
}
