using DotMac.Billing.Payments;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.OpenApi;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DotMac.Billing.Apis;

/// <summary>
/// Payments and credit notes. Every POST needs an Idempotency-Key: the same key and body answer the first result
/// (200), another body is 422. A declined or failed card payment is recorded too (201, status declined or failed,
/// with the reason) and applies nothing.
/// POST /api/v1/payments             (billing:write; a customer with payments:write:own pays their own account by card)
/// GET  /api/v1/payments?accountId=&amp;customerId=&amp;limit=&amp;offset=   (a customer: their own)
/// GET  /api/v1/payments/{id}
/// POST /api/v1/credit-notes         (billing:write) a refund or correction, against an invoice or the account's credit
/// GET  /api/v1/credit-notes/{id}
/// </summary>
internal static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/payments", PayAsync).WithSummary("Record a payment (manual, bank transfer or card; Idempotency-Key)").WithTags("Payments")
            .RequireAuthorization().WithMetadata(new PermissionMetadata("billing", "write"))
            .WithDescription("Staff with billing:write record any method for any account of the tenant. A customer (payments:write:own, the portal's \"pay by card\") pays by card into their own account only: no accountId, customerId their own or absent.")
            .WithRequestExample(new PaymentRequest(39.90m, "bank_transfer", CustomerId: Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), Currency: "EUR", Reference: "SEPA-2026-12-0042"));
        app.MapGet("/api/v1/payments", ListAsync).WithSummary("List payments").WithTags("Payments").RequirePermission("billing", "read");
        app.MapGet("/api/v1/payments/{id:guid}", GetAsync).WithSummary("One payment and what it settled").WithTags("Payments").RequirePermission("billing", "read");
        app.MapPost("/api/v1/credit-notes", CreditAsync).WithSummary("Issue a credit note (a refund or a correction)").WithTags("Payments").RequirePermission("billing", "write");
        app.MapGet("/api/v1/credit-notes/{id:guid}", GetCreditNoteAsync).WithSummary("One credit note").WithTags("Payments").RequirePermission("billing", "read");
        return app;
    }

    static async Task<Results<Created<PaymentResponse>, Ok<PaymentResponse>>> PayAsync(PaymentRequest body, Caller caller, PaymentDesk desk,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken)
    {
        var (payment, created) = await desk.PayAsync(caller.TenantId, idempotencyKey, Confine(caller, body), cancellationToken);
        return created ? TypedResults.Created($"/api/v1/payments/{payment.Id}", payment) : TypedResults.Ok(payment);
    }

    /// <summary>Staff pay as asked; a customer only by card, only into their own account (403 otherwise, 422 for the method).</summary>
    internal static PaymentRequest Confine(Caller caller, PaymentRequest body)
    {
        if (caller.ScopeFor("billing", "write") is not null)
            return body;
        caller.Require("payments", "write");
        var own = caller.CustomerId ?? throw new ForbiddenException("Only a customer pays with payments:write.", "permission.denied");
        if (body.CustomerId is { } asked && asked != own || body.AccountId is not null)
            throw new ForbiddenException("A customer pays only into their own account (leave accountId out).", "permission.denied");
        if (body.Method != "card")
            throw new ValidationFailedException("method", "A customer pays by card; other methods are recorded by the ISP's staff.");
        return body with { CustomerId = own };
    }

    static async Task<Ok<Page<PaymentResponse>>> ListAsync(Caller caller, PaymentDesk desk, CancellationToken cancellationToken,
        Guid? accountId = null, Guid? customerId = null, int limit = 50, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        var (items, total) = await desk.ListAsync(caller.TenantId, accountId, caller.OwnCustomer("billing", customerId), limit, offset, cancellationToken);
        return TypedResults.Ok(new Page<PaymentResponse>(items, total, limit, offset));
    }

    static async Task<Ok<PaymentResponse>> GetAsync(Guid id, Caller caller, PaymentDesk desk, CancellationToken cancellationToken)
    {
        var payment = await desk.GetPaymentAsync(caller.TenantId, id, cancellationToken);
        if (payment is null || caller.OwnCustomer("billing") is { } own && own != payment.CustomerId)
            throw new NotFoundException("Payment", id);
        return TypedResults.Ok(payment);
    }

    static async Task<Results<Created<CreditNoteResponse>, Ok<CreditNoteResponse>>> CreditAsync(CreditNoteRequest body, Caller caller, PaymentDesk desk,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken)
    {
        var (note, created) = await desk.CreditAsync(caller.TenantId, idempotencyKey, body, cancellationToken);
        return created ? TypedResults.Created($"/api/v1/credit-notes/{note.Id}", note) : TypedResults.Ok(note);
    }

    static async Task<Ok<CreditNoteResponse>> GetCreditNoteAsync(Guid id, Caller caller, PaymentDesk desk, CancellationToken cancellationToken)
    {
        var note = await desk.GetCreditNoteAsync(caller.TenantId, id, cancellationToken);
        if (note is null || caller.OwnCustomer("billing") is { } own && own != note.CustomerId)
            throw new NotFoundException("Credit note", id);
        return TypedResults.Ok(note);
    }
}
