using Dapper;
using DotMac.Billing.Cycles;
using DotMac.Billing.Invoicing;
using DotMac.Billing.Subscriptions;
using DotMac.Billing.Tenants;
using DotMac.Contracts.Billing;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DotMac.Billing.Apis;

/// <summary>
/// Staff's handles on the billing cycle and the tenant's invoicing policy (tenant staff only):
/// POST /api/v1/billing-cycles {periodStart?}     (billing:write) start (or resume) the cycle of a period: 202
/// GET  /api/v1/billing-cycles?limit=&amp;offset=, GET /api/v1/billing-cycles/{id}
/// GET  /api/v1/billing-settings                  taxes, billing day, dunning (from platform) and billing's own policy
/// PUT  /api/v1/billing-settings {invoiceSuspended, paymentTermsDays}   (billing:write)
/// POST /api/v1/subscriptions/{id}/change-plan {planId, planVersion, planName, price, effectiveOn}   (billing:write)
/// </summary>
internal static class CyclesApi
{
    public sealed record StartCycleRequest(DateOnly? PeriodStart = null);

    public sealed record StartedCycle(Guid Id, DateOnly PeriodStart, DateOnly PeriodEnd);

    public sealed record BillingPolicyRequest(bool InvoiceSuspended, int PaymentTermsDays);

    public sealed record ChangePlanRequest(Guid PlanId, int PlanVersion, string PlanName, decimal Price, DateOnly EffectiveOn);

    public static IEndpointRouteBuilder MapCyclesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/billing-cycles", StartAsync).WithSummary("Start the billing cycle of a period (202; invoices every due subscription)").WithTags("Billing cycles").RequirePermission("billing", "write");
        app.MapGet("/api/v1/billing-cycles", ListAsync).WithSummary("List billing cycles").WithTags("Billing cycles").RequirePermission("billing", "read");
        app.MapGet("/api/v1/billing-cycles/{id:guid}", GetAsync).WithSummary("One billing cycle and its progress").WithTags("Billing cycles").RequirePermission("billing", "read");
        app.MapGet("/api/v1/billing-settings", SettingsAsync).WithSummary("The tenant's billing settings (payment terms, invoicing)").WithTags("Billing settings").RequirePermission("billing", "read");
        app.MapPut("/api/v1/billing-settings", PolicyAsync).WithSummary("Change the tenant's billing settings").WithTags("Billing settings").RequirePermission("billing", "write");
        app.MapPost("/api/v1/subscriptions/{id:guid}/change-plan", ChangePlanAsync).WithSummary("Move a subscription to another plan (prorated)").WithTags("Subscriptions").RequirePermission("billing", "write");
        return app;
    }

    static async Task<Accepted<StartedCycle>> StartAsync(StartCycleRequest body, Caller caller, DbSession session, IPublishEndpoint publish, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var tenant = await TenantBilling.GetAsync(await session.OpenAsync(cancellationToken), null, caller.TenantId, cancellationToken);
        if (body.PeriodStart is { } start && start.Day != tenant.BillingDay)
            throw new ValidationFailedException("periodStart", $"A period starts on the tenant's billing day ({tenant.BillingDay}).");
        var period = Proration.PeriodContaining(body.PeriodStart ?? tenant.LocalDate(clock.GetUtcNow()), tenant.BillingDay);
        await session.BeginAsync(cancellationToken);
        await publish.Publish(new StartBillingCycleCommand(caller.TenantId, period.Start), cancellationToken);
        await session.CommitAsync(cancellationToken);
        var id = BillingCycle.CycleId(caller.TenantId, period.Start);
        return TypedResults.Accepted($"/api/v1/billing-cycles/{id}", new StartedCycle(id, period.Start, period.End));
    }

    static async Task<Ok<Page<CycleResponse>>> ListAsync(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken, int limit = 50, int offset = 0)
    {
        caller.Require("billing", "read", PermissionScope.Tenant);
        OffsetPaging.Validate(limit, offset);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = new { caller.TenantId, Limit = limit, Offset = offset };
        var rows = await connection.QueryAsync<CycleRow>(new CommandDefinition(CycleSql.List, parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CycleSql.Count, parameters, cancellationToken: cancellationToken));
        return TypedResults.Ok(new Page<CycleResponse>([.. rows.Select(r => r.ToResponse())], total, limit, offset));
    }

    static async Task<Ok<CycleResponse>> GetAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        caller.Require("billing", "read", PermissionScope.Tenant);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CycleRow>(new CommandDefinition(CycleSql.Get, new { caller.TenantId, Id = id }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Billing cycle", id);
        return TypedResults.Ok(row.ToResponse());
    }

    static async Task<Ok<TenantBillingResponse>> SettingsAsync(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        caller.Require("billing", "read", PermissionScope.Tenant);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok((await TenantBilling.GetAsync(connection, null, caller.TenantId, cancellationToken)).ToResponse());
    }

    static async Task<Ok<TenantBillingResponse>> PolicyAsync(BillingPolicyRequest body, Caller caller, DbSession session, CancellationToken cancellationToken)
    {
        if (body.PaymentTermsDays is < 0 or > 120)
            throw new ValidationFailedException("paymentTermsDays", "0 to 120 days.");
        var transaction = await session.BeginAsync(cancellationToken);
        await TenantBilling.LockAsync(session.Connection, transaction, caller.TenantId, cancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition("""
            update tenant_billing set invoice_suspended = @InvoiceSuspended, payment_terms_days = @PaymentTermsDays, updated_at = now() where tenant_id = @TenantId
            """, new { body.InvoiceSuspended, body.PaymentTermsDays, caller.TenantId }, transaction, cancellationToken: cancellationToken));
        var row = await TenantBilling.GetAsync(session.Connection, transaction, caller.TenantId, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(row.ToResponse());
    }

    static async Task<Ok<SubscriptionResponse>> ChangePlanAsync(Guid id, ChangePlanRequest body, Caller caller, DbSession session, CancellationToken cancellationToken)
    {
        var transaction = await session.BeginAsync(cancellationToken);
        var subscription = await session.Connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition(SubscriptionSql.ForUpdate,
            new { caller.TenantId, Id = id }, transaction, cancellationToken: cancellationToken)) ?? throw new NotFoundException("Subscription", id);
        var currency = subscription.Currency.Trim();
        var errors = new Dictionary<string, string[]>();
        if (body.Price < 0 || !Money.IsExact(body.Price, currency))
            errors["price"] = [$"Zero or more, with at most {Money.MinorUnit(currency)} decimals ({currency})."];
        if (string.IsNullOrWhiteSpace(body.PlanName) || body.PlanName.Length > 200)
            errors["planName"] = ["1 to 200 characters."];
        if (body.PlanVersion < 1)
            errors["planVersion"] = ["1 or more."];
        if (body.EffectiveOn < subscription.ActivationDate)
            errors["effectiveOn"] = ["Not before the subscription's activation."];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
        if (subscription.Status != "active")
            throw new ConflictException("Only an active subscription changes plan.", "subscription.not_active");
        await SubscriptionCharges.ChangePlanAsync(session.Connection, transaction, subscription, body.PlanId, body.PlanVersion, body.PlanName.Trim(), body.Price,
            body.EffectiveOn, cancellationToken);
        var changed = await session.Connection.QuerySingleAsync<SubscriptionRow>(new CommandDefinition(SubscriptionSql.Get, new { caller.TenantId, Id = id }, transaction,
            cancellationToken: cancellationToken));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(changed.ToResponse());
    }
}
