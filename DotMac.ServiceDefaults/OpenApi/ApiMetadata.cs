using Microsoft.AspNetCore.Builder;

namespace DotMac.ServiceDefaults.OpenApi;

/// <summary>An example request body, shown in the OpenAPI document (and so in the docs page's "try it").</summary>
public sealed record RequestExampleMetadata(object Example);

/// <summary>The permission an endpoint requires, for its documentation (RequirePermission adds it).</summary>
public sealed record PermissionMetadata(string Resource, string Action)
{
    public string Scope => $"{Resource}:{Action}";
}

public static class ApiMetadataExtensions
{
    /// <summary>Documents an example of the request body.</summary>
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, object example) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestExampleMetadata(example));
}
