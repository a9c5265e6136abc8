using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace DotMac.Gateway.Security;

/// <summary>
/// Oversized bodies stop at the gateway with 413 problem details: a declared length is checked up front, and the
/// server's limit (the same number) stops a chunked body that grows past it.
/// </summary>
public sealed class BodySizeLimit(RequestDelegate next, long maxBytes)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge, Title = "Request body too large",
                    Detail = $"Request bodies are limited to {maxBytes} bytes.",
                },
            });
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = maxBytes;
        await next(context);
    }
}
