using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace DotMac.ServiceDefaults.Telemetry;

/// <summary>
/// ASP.NET Core's own request span has a generic name and no tags; without the instrumentation package we name it
/// "{method} {route}" and add the HTTP semantic-convention tags ourselves. Also carries X-Request-Id.
/// </summary>
public static class RequestTelemetryMiddleware
{
    public const string RequestIdHeader = "X-Request-Id";

    public static IApplicationBuilder UseRequestTelemetry(this IApplicationBuilder app) =>
        app.Use(static async (context, next) =>
        {
            var requestId = RequestId(context);
            context.TraceIdentifier = requestId;
            // Carried on the request so a proxied call (the gateway) passes the same id on; answered once,
            // unless an upstream already put it on the response.
            context.Request.Headers[RequestIdHeader] = requestId;
            context.Response.OnStarting(static state =>
            {
                var (response, id) = ((HttpResponse, string))state;
                if (!response.Headers.ContainsKey(RequestIdHeader))
                    response.Headers[RequestIdHeader] = id;
                return Task.CompletedTask;
            }, (context.Response, requestId));
            var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
            if (activity is not null && IsProbe(context.Request.Path))
            {
                // Health and liveness probes every few seconds are not traces anyone reads: not recorded, and so
                // neither are the calls they make (the gateway's checks of every service).
                activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
                activity.IsAllDataRequested = false;
                await next(context);
                return;
            }
            activity?.SetTag("http.request.header.x_request_id", requestId);
            try
            {
                await next(context);
            }
            finally
            {
                if (activity is not null)
                    Tag(activity, context);
            }
        });

    static readonly (string Prefix, string Tag)[] Resources =
    [
        ("/api/v1/service-orders/", "dotmac.order.id"), ("/api/v1/invoices/", "dotmac.invoice.id"), ("/api/v1/devices/", "dotmac.device.id"),
        ("/api/v1/customers/", "dotmac.customer.id"), ("/api/v1/services/", "dotmac.service.id"), ("/api/v1/payments/", "dotmac.payment.id"),
        ("/api/v1/tenants/", DomainTags.Tenant),
    ];

    static string? ResourceTag(string route)
    {
        foreach (var (prefix, tag) in Resources)
        {
            if (route.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                return tag;
        }
        return null;
    }

    static bool IsProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/alive");

    static string RequestId(HttpContext context)
    {
        var incoming = context.Request.Headers[RequestIdHeader].ToString();
        // Accept a caller's id only if it is short and printable, so logs and headers stay safe.
        return incoming.Length is > 0 and <= 128 && incoming.All(c => c is > ' ' and < (char)127)
            ? incoming
            : Guid.CreateVersion7().ToString("N");
    }

    static void Tag(Activity activity, HttpContext context)
    {
        var request = context.Request;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var status = context.Response.StatusCode;
        activity.DisplayName = route is null ? request.Method : $"{request.Method} {route}";
        activity.SetTag("http.request.method", request.Method);
        activity.SetTag("http.route", route);
        activity.SetTag("url.path", request.Path.Value);
        activity.SetTag("url.scheme", request.Scheme);
        activity.SetTag("server.address", request.Host.Host);
        activity.SetTag("server.port", request.Host.Port);
        activity.SetTag("network.protocol.version", request.Protocol.Replace("HTTP/", "", StringComparison.Ordinal));
        activity.SetTag("user_agent.original", request.Headers.UserAgent.ToString());
        activity.SetTag("http.response.status_code", status);
        // Searchable by tenant and by the resource the route names: /api/v1/service-orders/{id} -> dotmac.order.id.
        var tenant = context.User.FindFirst(Auth.TokenClaims.Tenant)?.Value ?? request.Headers[Auth.TokenClaims.TenantHeader].ToString();
        if (!string.IsNullOrEmpty(tenant))
            activity.SetTag(DomainTags.Tenant, tenant);
        if (route is not null && context.Request.RouteValues.TryGetValue("id", out var id) && id is not null && ResourceTag(route) is { } tag)
            activity.SetTag(tag, id.ToString());
        if (status >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error);
            activity.SetTag("error.type", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
