using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DotMac.ServiceDefaults.Http;

public static class HttpClientExtensions
{
    /// <summary>Every HttpClient the factory makes gets the resilience pipeline of its name.</summary>
    public static IHostApplicationBuilder AddDefaultHttpClients(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ResilienceOptions>().BindConfiguration("DotMac:Http:Resilience");
        builder.Services.AddSingleton<ResiliencePipelines>();
        builder.Services.ConfigureHttpClientDefaults(http =>
            http.AddHttpMessageHandler(sp => new ResilienceHandler(sp.GetRequiredService<ResiliencePipelines>().For(http.Name))));
        return builder;
    }

    /// <summary>A typed client for a peer service, addressed the Aspire way: services:{name}:http:0.</summary>
    public static IHttpClientBuilder AddServiceClient<TClient>(this IHostApplicationBuilder builder, string serviceName)
        where TClient : class =>
        builder.Services.AddHttpClient<TClient>(serviceName, (sp, client) =>
            client.BaseAddress = ServiceEndpoints.Resolve(sp.GetRequiredService<IConfiguration>(), serviceName));
}
