using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace DotMac.Identity.Tests.Support;

/// <summary>Small HTTP helpers: send JSON with an optional bearer token, read status and JSON back.</summary>
public static class Api
{
    public sealed record Reply(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers)
    {
        public int Code => (int)Status;
        public string Get(string name) => Body.GetProperty(name).GetString()!;
    }

    public static async Task<Reply> SendAsync(this HttpClient client, HttpMethod method, string path, object? body = null,
        string? token = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw)
            request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        else if (body is HttpContent content)
            request.Content = content;
        else if (body is not null)
            request.Content = JsonContent.Create(body);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // A large body waits for the server's go-ahead, as well-behaved clients do: a server refusing it by its
        // length (413) answers first instead of closing the connection under a half-sent body.
        if (body is string { Length: > 64 * 1024 })
            request.Headers.ExpectContinue = true;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false)
            ? JsonDocument.Parse(text).RootElement.Clone()
            : JsonDocument.Parse("null").RootElement.Clone();
        return new Reply(response.StatusCode, json, response.Headers);
    }

    public static Task<Reply> GetJsonAsync(this HttpClient client, string path, string? token = null, IDictionary<string, string>? headers = null) =>
        client.SendAsync(HttpMethod.Get, path, null, token, headers);

    public static Task<Reply> PostJsonAsync(this HttpClient client, string path, object? body, string? token = null, IDictionary<string, string>? headers = null) =>
        client.SendAsync(HttpMethod.Post, path, body, token, headers);

    /// <summary>A residential customer with a portal account; its id, Portal ID and initial password.</summary>
    public static async Task<(Guid Id, string PortalId, string Password)> CreateCustomerAsync(this HttpClient client, string path, string token, string name,
        IDictionary<string, string>? headers = null)
    {
        var created = await client.PostJsonAsync(path, new
        {
            kind = "residential", name, email = $"{name}@example.test", portalAccount = true,
            address = new { line1 = "1 Marina Road", city = "Lagos", postalCode = "101001", country = "NG" },
        }, token, headers);
        if (created.Code != 201)
            throw new InvalidOperationException($"creating customer {name}: {created.Code} {created.Body}");
        var portal = created.Body.GetProperty("portal");
        return (created.Body.GetProperty("customer").GetProperty("id").GetGuid(), portal.GetProperty("portalId").GetString()!, portal.GetProperty("initialPassword").GetString()!);
    }

    public static IDictionary<string, string> Tenant(Guid tenantId) => new Dictionary<string, string> { ["X-Tenant-Id"] = tenantId.ToString() };
}
