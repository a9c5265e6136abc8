using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DotMac.Testing;

/// <summary>A real Kestrel app on a free loopback port, for tests of HTTP behaviour end to end.</summary>
public sealed class LocalApp : IAsyncDisposable
{
    LocalApp(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }
    public Uri Address { get; }
    public HttpClient Client { get; }

    public static WebApplicationBuilder CreateBuilder(IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // Quiet by default: a failing test prints what it needs; set DOTMAC_TEST_LOGS=1 for everything.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("DOTMAC_TEST_LOGS") == "1" ? "Information" : "Warning",
            // The broker-outage tests make MassTransit warn with a stack trace on every reconnect attempt.
            ["Logging:LogLevel:MassTransit"] = Environment.GetEnvironmentVariable("DOTMAC_TEST_LOGS") == "1" ? "Information" : "Error",
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    public static async Task<LocalApp> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalApp(app, new Uri(address));
    }

    /// <summary>Waits until /health answers 200, as a load balancer would before sending traffic.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await Client.GetAsync("/health");
            if (response.IsSuccessStatusCode)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"/health did not answer 200 within {timeout.TotalSeconds} s: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
