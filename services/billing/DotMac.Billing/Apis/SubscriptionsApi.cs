using Dapper;
using DotMac.Billing.Subscriptions;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DotMac.Billing.Apis;

/// <summary>
/// Billing accounts and subscriptions of the caller's tenant (billing:read):
/// GET /api/v1/accounts?customerId=&amp;limit=&amp;offset=
/// GET /api/v1/subscriptions?customerId=&amp;status=&amp;limit=&amp;offset=
/// GET /api/v1/subscriptions/{id}
/// </summary>
internal static class SubscriptionsApi
{
    const string Resource = "billing";

    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/accounts", AccountsAsync).WithSummary("List billing accounts (one per customer) with their balances").WithTags("Accounts").RequirePermission(Resource, "read");
        app.MapGet("/api/v1/subscriptions", ListAsync).WithSummary("List subscriptions").WithTags("Subscriptions").RequirePermission(Resource, "read");
        app.MapGet("/api/v1/subscriptions/{id:guid}", GetAsync).WithSummary("One subscription").WithTags("Subscriptions").RequirePermission(Resource, "read");
        return app;
    }

    static async Task<Ok<Page<AccountResponse>>> AccountsAsync(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken,
        Guid? customerId = null, int limit = 50, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = new { caller.TenantId, CustomerId = caller.OwnCustomer("billing", customerId), Limit = limit, Offset = offset };
        var rows = await connection.QueryAsync<AccountRow>(new CommandDefinition(SubscriptionSql.ListAccounts, parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SubscriptionSql.CountAccounts, parameters, cancellationToken: cancellationToken));
        return TypedResults.Ok(new Page<AccountResponse>([.. rows.Select(r => r.ToResponse())], total, limit, offset));
    }

    static async Task<Ok<Page<SubscriptionResponse>>> ListAsync(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken,
        Guid? customerId = null, string? status = null, int limit = 50, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        if (status is not null and not ("active" or "cancelled"))
            throw new ValidationFailedException("status", "active or cancelled.");
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = new { caller.TenantId, CustomerId = caller.OwnCustomer("billing", customerId), Status = status, Limit = limit, Offset = offset };
        var rows = await connection.QueryAsync<SubscriptionRow>(new CommandDefinition(SubscriptionSql.List, parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SubscriptionSql.Count, parameters, cancellationToken: cancellationToken));
        return TypedResults.Ok(new Page<SubscriptionResponse>([.. rows.Select(r => r.ToResponse())], total, limit, offset));
    }

    static async Task<Ok<SubscriptionResponse>> GetAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition(SubscriptionSql.Get, new { caller.TenantId, Id = id }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Subscription", id);
        if (caller.OwnCustomer("billing") is { } own && own != row.CustomerId)
            throw new NotFoundException("Subscription", id);
        return TypedResults.Ok(row.ToResponse());
    }

}
