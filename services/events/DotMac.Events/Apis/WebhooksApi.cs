using Dapper;
using DotMac.Events.Data;
using DotMac.Events.History;
using DotMac.Events.Webhooks;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.FeatureFlags;
using DotMac.ServiceDefaults.OpenApi;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Events.Apis;

/// <summary>
/// A tenant's webhook subscriptions (webhooks:write to change, webhooks:read or write to read; partner API clients by
/// the same scopes):
///   POST   /api/v1/webhooks/subscriptions                    {url, eventTypes, description?, active?}: 201 with the secret, shown once
///   GET    /api/v1/webhooks/subscriptions?limit=&amp;offset=
///   GET    /api/v1/webhooks/subscriptions/{id}
///   PATCH  /api/v1/webhooks/subscriptions/{id}               {url?, eventTypes?, description?, active?}
///   DELETE /api/v1/webhooks/subscriptions/{id}
///   POST   /api/v1/webhooks/subscriptions/{id}/rotate-secret  a new secret, shown once; the old one signs too for 24 h
///   GET    /api/v1/webhooks/subscriptions/{id}/deliveries?status=&amp;limit=&amp;offset=
///   POST   /api/v1/webhooks/subscriptions/{id}/replay        {from, to}: every event of the range it takes, again, in order
///   GET    /api/v1/webhooks/deliveries/{id}                  with every attempt
///   POST   /api/v1/webhooks/deliveries/{id}/redeliver        once more, as a new delivery
/// </summary>
internal static class WebhooksApi
{
    const int MaxEventTypes = 100;
    static readonly string[] Statuses = ["pending", "delivered", "failed"];

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization();
        api.MapPost("/subscriptions", CreateAsync).WithSummary("Subscribe a URL to event types (the signing secret is shown once)").RequirePermission("webhooks", "write").AddEndpointFilter(WhenEnabled)
            .WithRequestExample(new CreateSubscriptionRequest("https://partner.example.com/hooks/dotmac", ["service.activated", "invoice.*"], "CRM sync"));
        api.MapGet("/subscriptions", ListAsync).WithSummary("List webhook subscriptions").AddEndpointFilter(Reads);
        api.MapGet("/subscriptions/{id:guid}", GetAsync).WithSummary("One webhook subscription and its health").AddEndpointFilter(Reads);
        api.MapPatch("/subscriptions/{id:guid}", UpdateAsync).WithSummary("Change a subscription's URL, types, description or active flag").RequirePermission("webhooks", "write");
        api.MapDelete("/subscriptions/{id:guid}", DeleteAsync).WithSummary("Delete a subscription and its queued deliveries").RequirePermission("webhooks", "write");
        api.MapPost("/subscriptions/{id:guid}/rotate-secret", RotateAsync).WithSummary("Rotate the signing secret (the old one signs beside it for 24 h)").RequirePermission("webhooks", "write");
        api.MapGet("/subscriptions/{id:guid}/deliveries", DeliveriesAsync).WithSummary("A subscription's deliveries and their attempts").AddEndpointFilter(Reads);
        api.MapPost("/subscriptions/{id:guid}/replay", ReplayAsync).WithSummary("Replay a time range of the history to the subscription, in order").RequirePermission("webhooks", "write").AddEndpointFilter(WhenEnabled);
        api.MapGet("/deliveries/{id:guid}", DeliveryAsync).WithSummary("One delivery with every attempt").AddEndpointFilter(Reads);
        api.MapPost("/deliveries/{id:guid}/redeliver", RedeliverAsync).WithSummary("Send one delivery again").RequirePermission("webhooks", "write").AddEndpointFilter(WhenEnabled);
        return app;
    }

    // Reading needs webhooks:read or webhooks:write (a partner holding only write may see what it registered).
    static ValueTask<object?> Reads(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var caller = Caller.From(context.HttpContext);
        if (caller.ScopeFor("webhooks", "read") is null)
            caller.Require("webhooks", "write");
        return next(context);
    }

    // Platform's "webhooks" flag, per tenant: off, a tenant cannot subscribe, replay or redeliver; it can still read, change
    // (deactivate, say), rotate a secret and delete; and the dispatcher holds its deliveries until the flag is on again.
    static async ValueTask<object?> WhenEnabled(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var caller = Caller.From(context.HttpContext);
        var flags = context.HttpContext.RequestServices.GetRequiredService<IFeatureFlags>();
        if (!await flags.IsEnabledAsync(FeatureFlagRules.Webhooks, caller.TenantId, whenUnknown: true, context.HttpContext.RequestAborted))
            throw new ForbiddenException("Webhooks are turned off for this tenant (platform's feature flag 'webhooks'); ask the platform's staff.",
                "feature.disabled");
        return await next(context);
    }

    static async Task<Created<SubscriptionSecretResponse>> CreateAsync(CreateSubscriptionRequest request, Caller caller, NpgsqlDataSource db,
        WebhookUrlPolicy policy, CancellationToken cancellationToken)
    {
        await ValidateAsync(request.Url, request.EventTypes, policy, cancellationToken);
        var secret = WebhookSignature.NewSecret();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<SubscriptionRow>(new CommandDefinition(WebhookSql.Insert, new
        {
            Id = Guid.CreateVersion7(),
            caller.TenantId,
            request.Url,
            request.Description,
            EventTypes = request.EventTypes.Distinct(StringComparer.Ordinal).ToArray(),
            Active = request.Active ?? true,
            Secret = secret,
        }, cancellationToken: cancellationToken));
        return TypedResults.Created($"/api/v1/webhooks/subscriptions/{row.Id}", new SubscriptionSecretResponse(row.ToResponse(), secret));
    }

    static async Task<Ok<Page<SubscriptionResponse>>> ListAsync(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken, int limit = 50, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = new { caller.TenantId, Limit = limit, Offset = offset };
        var rows = await connection.QueryAsync<SubscriptionRow>(new CommandDefinition(WebhookSql.List, parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(WebhookSql.Count, parameters, cancellationToken: cancellationToken));
        return TypedResults.Ok(new Page<SubscriptionResponse>([.. rows.Select(r => r.ToResponse())], total, limit, offset));
    }

    static async Task<Ok<SubscriptionResponse>> GetAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok((await OneAsync(connection, caller.TenantId, id, cancellationToken)).ToResponse());
    }

    static async Task<Ok<SubscriptionResponse>> UpdateAsync(Guid id, UpdateSubscriptionRequest request, Caller caller, NpgsqlDataSource db,
        WebhookUrlPolicy policy, CancellationToken cancellationToken)
    {
        if (request.Url is not null || request.EventTypes is not null)
            await ValidateAsync(request.Url, request.EventTypes, policy, cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition(WebhookSql.Update, new
        {
            Id = id,
            caller.TenantId,
            request.Url,
            request.Description,
            EventTypes = request.EventTypes?.Distinct(StringComparer.Ordinal).ToArray(),
            request.Active,
        }, cancellationToken: cancellationToken));
        return TypedResults.Ok(row?.ToResponse() ?? throw new NotFoundException("Webhook subscription", id));
    }

    static async Task<NoContent> DeleteAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(WebhookSql.Delete, new { Id = id, caller.TenantId }, cancellationToken: cancellationToken));
        return deleted == 1 ? TypedResults.NoContent() : throw new NotFoundException("Webhook subscription", id);
    }

    static async Task<Ok<SubscriptionSecretResponse>> RotateAsync(Guid id, Caller caller, NpgsqlDataSource db, IOptions<EventsOptions> options,
        CancellationToken cancellationToken)
    {
        var secret = WebhookSignature.NewSecret();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition(WebhookSql.RotateSecret, new
        {
            Id = id,
            caller.TenantId,
            Secret = secret,
            Validity = options.Value.Webhooks.PreviousSecretValidity,
        }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new SubscriptionSecretResponse(row?.ToResponse() ?? throw new NotFoundException("Webhook subscription", id), secret));
    }

    static async Task<Ok<Page<DeliveryResponse>>> DeliveriesAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken,
        string? status = null, int limit = 50, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        if (status is not null && !Statuses.Contains(status))
            throw new ValidationFailedException("status", string.Join(", ", Statuses));
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await OneAsync(connection, caller.TenantId, id, cancellationToken);
        var parameters = new { caller.TenantId, SubscriptionId = id, Status = status, Limit = limit, Offset = offset };
        var rows = await connection.QueryAsync<DeliveryRow>(new CommandDefinition(WebhookSql.Deliveries, parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(WebhookSql.DeliveryCount, parameters, cancellationToken: cancellationToken));
        return TypedResults.Ok(new Page<DeliveryResponse>([.. rows.Select(r => r.ToResponse())], total, limit, offset));
    }

    static async Task<Ok<DeliveryResponse>> DeliveryAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = new { Id = id, caller.TenantId };
        var row = await connection.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition(WebhookSql.Delivery, parameters, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Webhook delivery", id);
        var attempts = await connection.QueryAsync<AttemptRow>(new CommandDefinition(WebhookSql.Attempts, parameters, cancellationToken: cancellationToken));
        return TypedResults.Ok(row.ToResponse([.. attempts.Select(a => a.ToResponse())]));
    }

    static async Task<Accepted<DeliveryResponse>> RedeliverAsync(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition(WebhookSql.Redeliver,
            new { Id = id, caller.TenantId, NewId = Guid.CreateVersion7(), ReplayId = Guid.CreateVersion7() }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Webhook delivery", id);
        await connection.ExecuteAsync(new CommandDefinition(WebhookSql.NotifyQueued, cancellationToken: cancellationToken));
        return TypedResults.Accepted($"/api/v1/webhooks/deliveries/{row.Id}", row.ToResponse());
    }

    static async Task<Accepted<ReplayResponse>> ReplayAsync(Guid id, ReplayRequest request, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        if (request.From >= request.To)
            throw new ValidationFailedException("to", "Must be after from.");
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await OneAsync(connection, caller.TenantId, id, cancellationToken);
        var replay = Guid.CreateVersion7();
        var queued = await connection.ExecuteAsync(new CommandDefinition(WebhookSql.ReplayRange, new
        {
            Id = id,
            caller.TenantId,
            From = request.From.UtcDateTime,
            To = request.To.UtcDateTime,
            ReplayId = replay,
        }, cancellationToken: cancellationToken, commandTimeout: 300));
        if (queued > 0)
            await connection.ExecuteAsync(new CommandDefinition(WebhookSql.NotifyQueued, cancellationToken: cancellationToken));
        return TypedResults.Accepted($"/api/v1/webhooks/subscriptions/{id}/deliveries", new ReplayResponse(replay, queued));
    }

    static async Task<SubscriptionRow> OneAsync(NpgsqlConnection connection, Guid tenant, Guid id, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition(WebhookSql.One, new { TenantId = tenant, Id = id }, cancellationToken: cancellationToken))
        ?? throw new NotFoundException("Webhook subscription", id);

    static async Task ValidateAsync(string? url, string[]? eventTypes, WebhookUrlPolicy policy, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (url is not null && await policy.RefusalAsync(url, cancellationToken) is { } refusal)
            errors["url"] = [refusal];
        if (eventTypes is not null)
        {
            if (eventTypes.Length is 0 or > MaxEventTypes)
                errors["eventTypes"] = [$"Between 1 and {MaxEventTypes} types: \"*\", a type such as \"service.activated\", or a family such as \"invoice.*\"."];
            else if (eventTypes.Where(t => !EventTypes.IsKnownPattern(t ?? "")).ToList() is { Count: > 0 } unknown)
                errors["eventTypes"] = [$"No event type matches {string.Join(", ", unknown)}: GET /api/v1/history/types lists them."];
        }
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
    }
}
