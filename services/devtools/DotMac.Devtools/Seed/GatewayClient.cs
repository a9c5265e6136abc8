using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DotMac.Devtools.Seed;

/// <summary>
/// The seeder's only way in: the gateway's public API, as a partner calls it. A bearer token (refreshed when it
/// expires, if a refresh token is known), X-Tenant-Id once the demo tenant is known, 429 answered by waiting the
/// Retry-After, and every other refusal turned into a <see cref="GatewayProblemException"/> with the service's problem.
/// </summary>
public sealed class GatewayClient(HttpClient http, Uri gateway)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    const int MaxThrottleWaits = 20;
    string? _accessToken;
    string? _refreshToken;

    public Uri Gateway { get; } = gateway;
    public Guid? TenantId { get; set; }

    /// <summary>Acts with a token someone else obtained (the API's caller); it is not refreshed.</summary>
    public void UseToken(string accessToken)
    {
        _accessToken = accessToken;
        _refreshToken = null;
    }

    public async Task LoginAsync(string email, string password, CancellationToken cancellationToken)
    {
        var tokens = await SendAsync<Tokens>(HttpMethod.Post, "/api/v1/identity/auth/login", new { email, password }, null, authenticated: false, cancellationToken);
        _accessToken = tokens.AccessToken;
        _refreshToken = tokens.RefreshToken;
    }

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, null, null, authenticated: true, cancellationToken);

    public Task<T> PostAsync<T>(string path, object? body, CancellationToken cancellationToken, string? idempotencyKey = null) =>
        SendAsync<T>(HttpMethod.Post, path, body, idempotencyKey, authenticated: true, cancellationToken);

    /// <summary>A POST whose answer tells whether it created something (201) or found what an earlier one did (200).</summary>
    public async Task<(T Body, bool Created)> PostForStatusAsync<T>(string path, object? body, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(HttpMethod.Post, path, body, idempotencyKey, authenticated: true, cancellationToken);
        return (await ReadAsync<T>(response, cancellationToken), response.StatusCode == HttpStatusCode.Created);
    }

    public Task<T> PutAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Put, path, body, null, authenticated: true, cancellationToken);

    /// <summary>An anonymous POST with no answer body (portal activation).</summary>
    public async Task PostAnonymousAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var _ = await SendRawAsync(HttpMethod.Post, path, body, null, authenticated: false, cancellationToken);
    }

    async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey, bool authenticated, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, idempotencyKey, authenticated, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new GatewayProblemException((int)response.StatusCode, null, $"{response.RequestMessage?.RequestUri} answered an empty body.");

    async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, string? idempotencyKey, bool authenticated, CancellationToken cancellationToken)
    {
        var refreshed = false;
        for (var waits = 0; ; waits++)
        {
            using var request = new HttpRequestMessage(method, new Uri(Gateway, path));
            if (body is not null)
                request.Content = JsonContent.Create(body, body.GetType(), options: Json);
            if (idempotencyKey is not null)
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            if (authenticated)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken ?? throw new InvalidOperationException("Log in first."));
                if (TenantId is { } tenant)
                    request.Headers.Add("X-Tenant-Id", tenant.ToString());
            }
            var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
                return response;
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests && waits < MaxThrottleWaits)
                {
                    // The gateway's limits are per caller (and per IP for logins): waiting is the polite answer.
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    await Task.Delay(wait + TimeSpan.FromMilliseconds(100), cancellationToken);
                    continue;
                }
                if (response.StatusCode == HttpStatusCode.Unauthorized && authenticated && !refreshed && _refreshToken is not null)
                {
                    refreshed = true;
                    var tokens = await SendAsync<Tokens>(HttpMethod.Post, "/api/v1/identity/auth/refresh", new { refreshToken = _refreshToken }, null, false, cancellationToken);
                    (_accessToken, _refreshToken) = (tokens.AccessToken, tokens.RefreshToken);
                    continue;
                }
                throw await ProblemAsync(method, path, response, cancellationToken);
            }
        }
    }

    static async Task<GatewayProblemException> ProblemAsync(HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? code = null, detail = null;
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            code = root.TryGetProperty("code", out var c) ? c.GetString() : null;
            detail = root.TryGetProperty("detail", out var d) ? d.GetString() : root.TryGetProperty("title", out var t) ? t.GetString() : null;
            if (root.TryGetProperty("errors", out var errors))
                detail = $"{detail} {errors.GetRawText()}";
        }
        catch (JsonException)
        {
            detail = text.Length > 300 ? text[..300] : text;
        }
        var status = (int)response.StatusCode;
        return new GatewayProblemException(status, code,
            string.Create(CultureInfo.InvariantCulture, $"{method} {path} answered {status}{(code is null ? "" : $" ({code})")}: {detail}"));
    }

    sealed record Tokens(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken);
}

/// <summary>A refusal from a service behind the gateway, with its problem's status and code.</summary>
public sealed class GatewayProblemException(int status, string? code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string? Code { get; } = code;
}
