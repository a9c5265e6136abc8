using Dapper;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.OpenApi;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using DotMac.Services.Plans;
using DotMac.Services.Provisioning;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace DotMac.Services.Apis;

/// <summary>
/// Service orders and the services they provision, for the caller's tenant:
/// POST /api/v1/service-orders                      accept an order (Idempotency-Key required): 202, provisioning runs
///                                                  in the background; the same key and body answer the same order
/// GET  /api/v1/service-orders?status=&amp;customerId=&amp;limit=&amp;offset=
/// GET  /api/v1/service-orders/{id}                 the order with the saga's progress: steps, times, failure reason
/// GET  /api/v1/services?status=&amp;customerId=&amp;limit=&amp;offset=
/// GET  /api/v1/services/{id}
/// POST /api/v1/services/{id}/suspend|resume|terminate   202; runs through the same event flow
/// Reading needs services:read, changing services:write.
/// </summary>
internal static class OrdersApi
{
    const string Resource = "services";

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/v1/service-orders").WithTags("Service orders");
        orders.MapPost("/", SubmitAsync).WithSummary("Submit a service order: the provisioning saga allocates an address, opens billing and sets up RADIUS (202; Idempotency-Key)").RequirePermission(Resource, "write")
            .WithRequestExample(new CreateOrderRequest(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7"), Guid.Parse("3fa85f64-5717-4562-b3fc-2c963f66afa6"), "jane.doe@fibre"));
        orders.MapGet("/", ListOrdersAsync).WithSummary("List service orders").RequirePermission(Resource, "read");
        orders.MapGet("/{id:guid}", GetOrderAsync).WithSummary("One service order with the saga's steps").RequirePermission(Resource, "read");

        var services = app.MapGroup("/api/v1/services").WithTags("Services");
        services.MapGet("/", ListServicesAsync).WithSummary("List services (what customers have)").RequirePermission(Resource, "read");
        services.MapGet("/{id:guid}", GetServiceAsync).WithSummary("One service").RequirePermission(Resource, "read");
        foreach (var action in new[] { "suspend", "resume", "terminate" })
            services.MapPost($"/{{id:guid}}/{action}", (Guid id, Caller caller, ServiceOrders orders, CancellationToken cancellationToken, LifecycleRequest? request) =>
                RequestAsync(id, action, request, caller, orders, cancellationToken)).RequirePermission(Resource, "write")
                .WithSummary(action switch
                {
                    "suspend" => "Suspend a service (RADIUS refuses or wall-gardens it; billing pauses)",
                    "resume" => "Resume a suspended service",
                    _ => "Terminate a service (its address, RADIUS profile and subscription end)",
                });
        services.MapPost("/{id:guid}/change-plan", ChangePlanAsync).WithSummary("Move a service to another plan").RequirePermission(Resource, "write");
        return app;
    }

    static async Task<Accepted<OrderResponse>> SubmitAsync(CreateOrderRequest request, Caller caller, ServiceOrders orders, CancellationToken cancellationToken,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey = null)
    {
        var (order, _) = await orders.SubmitAsync(caller.TenantId, idempotencyKey, request, cancellationToken);
        return TypedResults.Accepted($"/api/v1/service-orders/{order.Id}", order.ToResponse());
    }

    static readonly string[] OrderStatuses = ["pending", "provisioning", "active", "failed"];
    static readonly string[] ServiceStatuses = ["pending", "provisioning", "active", "suspended", "terminated", "failed"];

    // An unknown status is a mistake to say so, not an empty page (docs/api-conventions.md).
    static void ValidateStatus(string? status, string[] known)
    {
        if (status is not null && !known.Contains(status))
            throw new ValidationFailedException("status", $"One of {string.Join(", ", known)}.");
    }

    static async Task<Ok<Page<OrderResponse>>> ListOrdersAsync(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken,
        string? status = null, Guid? customerId = null, int limit = 50, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        ValidateStatus(status, OrderStatuses);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = new { caller.TenantId, Status = status, CustomerId = caller.OwnCustomer(Resource, customerId), Limit = limit, Offset = offset };
        var rows = await connection.QueryAsync<OrderRow>(new CommandDefinition(OrderSql.ListOrders, parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(OrderSql.CountOrders, parameters, cancellationToken: cancellationToken));
        return TypedResults.Ok(new Page<OrderResponse>([.. rows.Select(r => r.ToResponse())], total, limit, offset));
    }

    static async Task<Ok<OrderResponse>> GetOrderAsync(Guid id, Caller caller, ServiceOrders orders, CancellationToken cancellationToken)
    {
        var order = await orders.GetAsync(caller.TenantId, id, cancellationToken);
        if (order is null || caller.OwnCustomer(Resource) is { } own && own != order.CustomerId)
            throw new NotFoundException("ServiceOrder", id);
        return TypedResults.Ok(order.ToResponse(await orders.StepsAsync(caller.TenantId, id, cancellationToken)));
    }

    static async Task<Ok<Page<ServiceResponse>>> ListServicesAsync(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken,
        string? status = null, Guid? customerId = null, int limit = 50, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        ValidateStatus(status, ServiceStatuses);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = new { caller.TenantId, Status = status, CustomerId = caller.OwnCustomer(Resource, customerId), Limit = limit, Offset = offset };
        var rows = await connection.QueryAsync<InstanceRow>(new CommandDefinition(OrderSql.ListInstances, parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(OrderSql.CountInstances, parameters, cancellationToken: cancellationToken));
        return TypedResults.Ok(new Page<ServiceResponse>([.. rows.Select(r => r.ToResponse())], total, limit, offset));
    }

    static async Task<Ok<ServiceResponse>> GetServiceAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<InstanceRow>(new CommandDefinition(OrderSql.GetInstance, new { caller.TenantId, Id = id }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Service", id);
        if (caller.OwnCustomer(Resource) is { } own && own != row.CustomerId)
            throw new NotFoundException("Service", id);
        return TypedResults.Ok(row.ToResponse());
    }

    public sealed record ChangePlanRequest(Guid PlanId);

    static async Task<Accepted<ServiceResponse>> ChangePlanAsync(Guid id, ChangePlanRequest request, Caller caller, ServiceOrders orders, CancellationToken cancellationToken)
    {
        var instance = await orders.ChangePlanAsync(caller.TenantId, id, request.PlanId, cancellationToken);
        return TypedResults.Accepted($"/api/v1/services/{id}", instance.ToResponse());
    }

    static async Task<Accepted<ServiceResponse>> RequestAsync(Guid id, string action, LifecycleRequest? request, Caller caller, ServiceOrders orders,
        CancellationToken cancellationToken)
    {
        var instance = await orders.RequestAsync(caller.TenantId, id, action, request?.Reason, cancellationToken);
        return TypedResults.Accepted($"/api/v1/services/{id}", instance.ToResponse());
    }

}
