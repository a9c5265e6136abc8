using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace DotMac.ServiceDefaults.Http;

public static class HttpClientExtensions
{
    /// <summary>Every HttpClient the factory makes gets the resilience pipeline of its name.</summary>
    public static IHostApplicationBuilder AddDefaultHttpClients(this IHostApplicationBuilder builder)
    {
        // Defaults for every client from DotMac:Http:Resilience; one client's from DotMac:Http:Clients:{name}:Resilience.
        builder.Services.ConfigureAll<ResilienceOptions>(o => builder.Configuration.GetSection("DotMac:Http:Resilience").Bind(o));
        builder.Services.AddSingleton<IPostConfigureOptions<ResilienceOptions>>(new ClientResilienceOptions(builder.Configuration));
        builder.Services.AddSingleton<ResiliencePipelines>();
        builder.Services.AddHttpClient();
        builder.Services.AddSingleton<IHttpMessageHandlerBuilderFilter, ResilienceHandlerFilter>();
        return builder;
    }

    /// <summary>A typed client for a peer service, addressed the Aspire way: services:{name}:http:0.</summary>
    public static IHttpClientBuilder AddServiceClient<TClient>(this IHostApplicationBuilder builder, string serviceName)
        where TClient : class =>
        builder.Services.AddHttpClient<TClient>(serviceName, (sp, client) =>
            client.BaseAddress = ServiceEndpoints.Resolve(sp.GetRequiredService<IConfiguration>(), serviceName));
}

sealed class ClientResilienceOptions(IConfiguration configuration) : IPostConfigureOptions<ResilienceOptions>
{
    public void PostConfigure(string? name, ResilienceOptions options)
    {
        if (!string.IsNullOrEmpty(name))
            configuration.GetSection($"DotMac:Http:Clients:{name}:Resilience").Bind(options);
    }
}
