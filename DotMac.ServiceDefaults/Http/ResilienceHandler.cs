using Polly;

namespace DotMac.ServiceDefaults.Http;

/// <summary>
/// Runs each outgoing request through the client's pipeline. Only requests that are safe to repeat are retried:
/// idempotent methods, or any request that carries an Idempotency-Key.
/// </summary>
public sealed class ResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!CanRepeat(request))
            return await base.SendAsync(request, cancellationToken);

        // A streamed body can be read once; buffer it so a retry sends the same bytes.
        if (request.Content is not null)
            await request.Content.LoadIntoBufferAsync(cancellationToken);

        return await pipeline.ExecuteAsync(
            static async (state, token) => await state.Handler.BaseSend(state.Request, token),
            (Handler: this, Request: request),
            cancellationToken);
    }

    Task<HttpResponseMessage> BaseSend(HttpRequestMessage request, CancellationToken token) => base.SendAsync(request, token);

    static bool CanRepeat(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options
        || request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete
        || request.Headers.Contains(IdempotencyKeyHeader);
}
