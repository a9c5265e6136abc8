using Microsoft.Extensions.Http;

namespace DotMac.ServiceDefaults.Http;

/// <summary>
/// Puts the resilience handler into every client the factory builds, with the pipeline of that client's name
/// (ConfigureHttpClientDefaults does not know the name, and the circuit breaker must be per peer).
/// </summary>
public sealed class ResilienceHandlerFilter(ResiliencePipelines pipelines) : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        builder.AdditionalHandlers.Add(new ResilienceHandler(pipelines.For(string.IsNullOrEmpty(builder.Name) ? "default" : builder.Name)));
    };
}
