using Polly;

namespace DotMac.ServiceDefaults.Http;

/// <summary>
/// Runs each outgoing request through the client's pipeline: every request gets the timeouts and the circuit
/// breaker; only requests that are safe to repeat are retried (idempotent methods, or any request that carries an
/// Idempotency-Key).
/// </summary>
public sealed class ResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Read by the retry strategy: may this request be sent again?</summary>
    public static readonly ResiliencePropertyKey<bool> Repeatable = new("dotmac.http.repeatable");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var repeatable = CanRepeat(request);
        // A streamed body can be read once; buffer it so a retry sends the same bytes.
        if (repeatable && request.Content is not null)
            await request.Content.LoadIntoBufferAsync(cancellationToken);

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Repeatable, repeatable);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.Handler.BaseSend(state.Request, ctx.CancellationToken));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request));
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    Task<HttpResponseMessage> BaseSend(HttpRequestMessage request, CancellationToken token) => base.SendAsync(request, token);

    static bool CanRepeat(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options
        || request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete
        || request.Headers.Contains(IdempotencyKeyHeader);
}
