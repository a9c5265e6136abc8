using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DotMac.ServiceDefaults.Problems;

public static class ProblemDetailsExtensions
{
    /// <summary>1 MiB: more than any DotMac API request needs; uploads get their own endpoints and limits.</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Every error answer is application/problem+json carrying the trace and request ids.</summary>
    public static IHostApplicationBuilder AddDefaultProblemDetails(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            problem.Extensions["requestId"] = context.HttpContext.TraceIdentifier;
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize =
            builder.Configuration.GetValue<long?>("DotMac:Http:MaxRequestBodyBytes") ?? DefaultMaxRequestBodyBytes);
        // Binding failures (malformed JSON, bad route values) throw, so the handler can say what was wrong.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>camelCase, enums as strings, and strict input: unknown members and numbers in strings are refused.</summary>
    public static IHostApplicationBuilder AddDefaultJson(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(o => Apply(o.SerializerOptions));
        return builder;
    }

    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // A missing constructor argument or a null where the type says non-null is an error, not a silent default.
        options.RespectRequiredConstructorParameters = true;
        options.RespectNullableAnnotations = true;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }
}
