using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace DotMac.AppHost.Tests;

/// <summary>A call through the shared fleet's gateway as a partner makes it: bearer token, tenant header, idempotency key.</summary>
public static class GatewayCalls
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, string token, HttpMethod method, string path,
        object? body = null, Guid? tenant = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(SharedFleet.Gateway, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (tenant is { } id)
            request.Headers.Add("X-Tenant-Id", id.ToString());
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (body is not null)
            request.Content = JsonContent.Create(body, options: Json);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}

/// <summary>Debian's headless Chromium through Playwright for .NET (installed when missing), and pages that record console errors.</summary>
public static class Chromium
{
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        await SpecTools.EnsureChromiumAsync();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        return (playwright, browser);
    }

    /// <summary>A page in a context of its own at this size; console errors and uncaught exceptions go to <paramref name="errors"/>.</summary>
    public static async Task<IPage> PageAsync(IBrowser browser, Uri baseUrl, int width, int height, List<string> errors)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = baseUrl.ToString(), ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                errors.Add($"{page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => errors.Add($"{page.Url}: uncaught {error}");
        return page;
    }
}
