using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using DotMac.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DotMac.Services.Tests;

/// <summary>
/// A partner's webhook receiver: a real HTTP server on loopback. Each path is an endpoint of its own; what it answers
/// is up to the test (by the number of the request that path has had), and every request is kept as it arrived.
/// </summary>
public sealed class PartnerServer : IAsyncDisposable
{
    public sealed record Received(string Path, DateTimeOffset At, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : "";
        public string Text => Encoding.UTF8.GetString(Body);
    }

    readonly ConcurrentDictionary<string, ConcurrentQueue<Received>> _received = new();
    readonly ConcurrentDictionary<string, Func<int, CancellationToken, Task<int>>> _behaviour = new();
    readonly ConcurrentDictionary<string, int> _counts = new();
    LocalApp _app = null!;

    public Uri Address => _app.Address;

    public static async Task<PartnerServer> StartAsync()
    {
        var partner = new PartnerServer();
        var builder = LocalApp.CreateBuilder();
        var app = builder.Build();
        app.MapPost("/{**path}", partner.HandleAsync);
        partner._app = await LocalApp.StartAsync(app);
        return partner;
    }

    /// <summary>The URL of an endpoint; <paramref name="answer"/> gets the number of each request to it (1 first) and gives the status to answer.</summary>
    public string Endpoint(string path, Func<int, CancellationToken, Task<int>>? answer = null)
    {
        _behaviour[path] = answer ?? ((_, _) => Task.FromResult(200));
        return new Uri(Address, path).ToString();
    }

    public IReadOnlyList<Received> ReceivedAt(string path) => _received.TryGetValue(path, out var queue) ? [.. queue] : [];

    async Task HandleAsync(HttpContext context, string path, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, cancellationToken);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        _received.GetOrAdd(path, _ => new()).Enqueue(new Received(path, DateTimeOffset.UtcNow, headers, body.ToArray()));
        var number = _counts.AddOrUpdate(path, 1, (_, n) => n + 1);
        var answer = _behaviour.TryGetValue(path, out var behaviour) ? behaviour : (_, _) => Task.FromResult(404);
        context.Response.StatusCode = await answer(number, context.RequestAborted);
        await context.Response.WriteAsync("{\"received\":true}", cancellationToken);
    }

    /// <summary>
    /// What a partner's code does with the Standard Webhooks headers (written from the specification, not with the
    /// service's own code): HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}" with the secret's decoded bytes,
    /// compared with each "v1," signature of the header.
    /// </summary>
    public static bool Verifies(Received request, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.").Concat(request.Body).ToArray();
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return request.Header("webhook-signature").Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal) && s[3..] == expected);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
