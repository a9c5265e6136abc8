using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace DotMac.Events.Webhooks;

/// <summary>
/// POSTs one delivery: the event's payload as the body, Standard Webhooks headers, our event headers. No redirects,
/// at most <see cref="WebhookOptions.MaxResponseBytes"/> of the answer read, <see cref="WebhookOptions.AttemptTimeout"/>
/// for the whole attempt, and every connection checked by <see cref="WebhookUrlPolicy"/> on the address it really goes to.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    public const string EventIdHeader = "DotMac-Event-Id";
    public const string EventTypeHeader = "DotMac-Event-Type";
    public const string DeliveryIdHeader = "DotMac-Delivery-Id";
    public const string AttemptHeader = "DotMac-Attempt";

    readonly HttpClient _client;
    readonly WebhookOptions _options;
    readonly WebhookUrlPolicy _policy;
    readonly TimeProvider _clock;

    public WebhookSender(IOptions<EventsOptions> options, WebhookUrlPolicy policy, TimeProvider clock)
    {
        _options = options.Value.Webhooks;
        _policy = policy;
        _clock = clock;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = _options.AttemptTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("DotMac-Webhooks", "1.0"));
    }

    public async Task<AttemptResult> SendAsync(SubscriptionLease subscription, PendingDelivery delivery, CancellationToken cancellationToken)
    {
        var at = _clock.GetUtcNow();
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        var id = delivery.MessageId.ToString();
        var timestamp = at.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.IdHeader, id);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Header(subscription.Secrets, id, timestamp, body));
        request.Headers.Add(EventIdHeader, id);
        request.Headers.Add(EventTypeHeader, delivery.EventType);
        request.Headers.Add(DeliveryIdHeader, delivery.Id.ToString());
        request.Headers.Add(AttemptHeader, (delivery.Attempts + 1).ToString(CultureInfo.InvariantCulture));

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_options.AttemptTimeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var excerpt = await ReadExcerptAsync(response, limit.Token);
            var code = (int)response.StatusCode;
            var error = code is >= 300 and < 400 ? $"HTTP {code}: redirect to {response.Headers.Location} not followed" : null;
            return new AttemptResult(at, code, watch.Elapsed.TotalMilliseconds, error, excerpt);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(at, null, watch.Elapsed.TotalMilliseconds, $"No answer within {_options.AttemptTimeout.TotalSeconds:0.#} s", null);
        }
        catch (HttpRequestException e)
        {
            return new AttemptResult(at, null, watch.Elapsed.TotalMilliseconds, Describe(e), null);
        }
    }

    // Up to MaxResponseBytes are read (a partner's huge answer costs us no more); an excerpt of it is kept.
    async Task<string?> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[_options.MaxResponseBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            read += n;
        if (read == 0)
            return null;
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return text.Length > _options.ResponseExcerptChars ? text[.._options.ResponseExcerptChars] : text;
    }

    async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var refusals = new List<string>();
        foreach (var address in addresses)
        {
            if (_policy.Refusal(address) is { } reason)
            {
                refusals.Add($"{address} is {reason}");
                continue;
            }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                refusals.Add($"{address}: {e.SocketErrorCode}");
            }
        }
        throw new HttpRequestException(refusals.Count == 0 ? $"{host} does not resolve" : $"Not connected: {string.Join("; ", refusals)}");
    }

    static string Describe(HttpRequestException e) => e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;

    public void Dispose() => _client.Dispose();
}
