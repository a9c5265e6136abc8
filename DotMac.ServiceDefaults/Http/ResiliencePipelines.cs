using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace DotMac.ServiceDefaults.Http;

/// <summary>
/// One Polly pipeline per named client, kept for the life of the process: HttpClientFactory recycles handlers,
/// and the circuit breaker's memory must outlive them.
/// </summary>
public sealed class ResiliencePipelines(IOptionsMonitor<ResilienceOptions> options, ILoggerFactory loggers)
{
    readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new();

    public ResiliencePipeline<HttpResponseMessage> For(string clientName) =>
        _pipelines.GetOrAdd(clientName, name => Build(name, options.Get(name)));

    ResiliencePipeline<HttpResponseMessage> Build(string name, ResilienceOptions o)
    {
        var logger = loggers.CreateLogger("DotMac.Http.Resilience");
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(o.TotalTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = o.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryBaseDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Context.Properties.GetValue(ResilienceHandler.Repeatable, false) && IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    logger.LogWarning("{Client}: attempt {Attempt} failed ({Outcome}); retrying in {Delay} ms", name,
                        args.AttemptNumber + 1, Describe(args.Outcome), (int)args.RetryDelay.TotalMilliseconds);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = o.BreakerFailureRatio,
                MinimumThroughput = o.BreakerMinimumThroughput,
                SamplingDuration = o.BreakerSamplingDuration,
                BreakDuration = o.BreakerBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                OnOpened = args =>
                {
                    logger.LogError("{Client}: circuit opened for {Seconds} s after {Outcome}", name,
                        args.BreakDuration.TotalSeconds, Describe(args.Outcome));
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(o.AttemptTimeout)
            .Build();
    }

    /// <summary>Worth another try: no answer, a timeout, 408, 429 or a 5xx.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            || (int)response.StatusCode >= 500,
        _ => false,
    };

    static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.GetType().Name ?? $"HTTP {(int?)outcome.Result?.StatusCode}";
}
