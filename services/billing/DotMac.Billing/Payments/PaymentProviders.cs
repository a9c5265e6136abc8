using Dapper;
using Npgsql;
using Polly;
using Polly.Retry;

namespace DotMac.Billing.Payments;

/// <summary>A card as a payment request carries it; only the last four digits are ever stored.</summary>
public sealed record CardDetails(string Number, int ExpiryMonth, int ExpiryYear, string Cvc);

/// <summary>What a provider is asked to collect. <paramref name="ChargeKey"/> is the same for every retry of one payment.</summary>
public sealed record CollectionRequest(string ChargeKey, decimal Amount, string Currency, string? Reference, CardDetails? Card);

/// <summary>The provider's answer: collected (with its reference), or refused with a reason; Attempts counts transient retries.</summary>
public sealed record CollectionResult(bool Succeeded, string Status, string? ProviderReference, string? FailureReason, int Attempts);

/// <summary>A way money reaches the ISP. Each method of a payment POST names one.</summary>
public interface IPaymentProvider
{
    IReadOnlyList<string> Methods { get; }

    Task<CollectionResult> CollectAsync(CollectionRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Manual payments and bank transfers: a clerk records money already received (cash at the counter, a transfer seen on
/// the bank statement); nothing is charged, so the record always succeeds. A bank transfer needs the bank's reference.
/// </summary>
public sealed class ManualPaymentProvider : IPaymentProvider
{
    public IReadOnlyList<string> Methods => ["manual", "bank_transfer"];

    public Task<CollectionResult> CollectAsync(CollectionRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new CollectionResult(true, "succeeded", request.Reference, null, 1));
}

/// <summary>The processor said "try again": a network error or its own hiccup. Retried; never a decline.</summary>
public sealed class TransientCardException(string message) : Exception(message);

/// <summary>
/// A sandbox card processor, with test card numbers as real processors publish them:
/// <list type="bullet">
/// <item>4242 4242 4242 4242: approved;</item>
/// <item>4000 0000 0000 0002: declined (card_declined);</item>
/// <item>4000 0000 0000 9995: declined (insufficient_funds);</item>
/// <item>4000 0000 0000 0119: a processing error on the first two attempts of a charge, approved on the third;</item>
/// <item>4000 0000 0000 0341: the processor never answers properly (every attempt a processing error);</item>
/// <item>any other number: declined (unknown test card).</item>
/// </list>
/// It keeps its own ledger (sandbox_card_charges) keyed by the charge key, as a processor's idempotency key would: a
/// charge retried after a timeout, or a payment POST repeated, is never charged twice. Transient errors are retried
/// with Polly (exponential back-off with jitter, three retries); what still fails is reported as failed, uncharged.
/// </summary>
public sealed class SandboxCardProcessor(NpgsqlDataSource db, ILogger<SandboxCardProcessor> logger) : IPaymentProvider
{
    public const string Approve = "4242424242424242";
    public const string Decline = "4000000000000002";
    public const string InsufficientFunds = "4000000000009995";
    public const string TransientThenApprove = "4000000000000119";
    public const string AlwaysTransient = "4000000000000341";

    /// <summary>Attempts of one charge that fail transiently before the transient test card is approved.</summary>
    const int TransientFailures = 2;

    static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<TransientCardException>(),
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
        })
        .Build();

    public IReadOnlyList<string> Methods => ["card"];

    public async Task<CollectionResult> CollectAsync(CollectionRequest request, CancellationToken cancellationToken)
    {
        var card = request.Card ?? throw new ArgumentException("A card payment needs the card.", nameof(request));
        var attempts = 0;
        try
        {
            return await Retry.ExecuteAsync(async token =>
            {
                attempts++;
                return await ChargeAsync(request, card, token) with { Attempts = attempts };
            }, cancellationToken);
        }
        catch (TransientCardException ex)
        {
            logger.LogWarning("Card charge {ChargeKey} failed after {Attempts} attempts: {Reason}", request.ChargeKey, attempts, ex.Message);
            return new CollectionResult(false, "failed", null, $"processor_unavailable: {ex.Message}", attempts);
        }
    }

    /// <summary>One call of the processor.</summary>
    async Task<CollectionResult> ChargeAsync(CollectionRequest request, CardDetails card, CancellationToken cancellationToken)
    {
        var number = new string([.. card.Number.Where(char.IsDigit)]);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The processor's idempotency: the first outcome of a charge key is the outcome of every later call with it.
        var known = await connection.QuerySingleOrDefaultAsync<(string Outcome, int Attempts)?>(new CommandDefinition(
            "select outcome, attempts from sandbox_card_charges where charge_key = @ChargeKey for update", new { request.ChargeKey }, transaction,
            cancellationToken: cancellationToken));
        if (known is { Outcome: "approved" or "declined" } settled)
        {
            await transaction.CommitAsync(cancellationToken);
            return Result(settled.Outcome, request.ChargeKey, number);
        }
        var attempt = (known?.Attempts ?? 0) + 1;
        var outcome = number switch
        {
            Approve => "approved",
            TransientThenApprove => attempt > TransientFailures ? "approved" : "pending",
            AlwaysTransient => "pending",
            _ => "declined",
        };
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into sandbox_card_charges (charge_key, card_last4, amount, currency, outcome, attempts) values (@ChargeKey, @Last4, @Amount, @Currency, @Outcome, 1)
            on conflict (charge_key) do update set outcome = excluded.outcome, attempts = sandbox_card_charges.attempts + 1
            """, new { request.ChargeKey, Last4 = number[^Math.Min(4, number.Length)..], request.Amount, request.Currency, Outcome = outcome }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        if (outcome == "pending")
            throw new TransientCardException("processing_error (sandbox)");
        return Result(outcome, request.ChargeKey, number);
    }

    static CollectionResult Result(string outcome, string chargeKey, string number) => outcome == "approved"
        ? new CollectionResult(true, "succeeded", $"sandbox_{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(chargeKey)))[..16].ToLowerInvariant()}", null, 1)
        : new CollectionResult(false, "declined", null, number == InsufficientFunds ? "insufficient_funds" : "card_declined", 1);
}
