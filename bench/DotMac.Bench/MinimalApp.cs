namespace DotMac.Bench;

/// <summary>The comparison peer for idle memory: a bare ASP.NET Core app with one endpoint and nothing else.</summary>
public static class MinimalApp
{
    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/alive", () => "ok");
        await app.RunAsync();
    }
}
