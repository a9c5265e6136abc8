using System.Diagnostics;
using Dapper;
using DotMac.Messaging.TestHost.Consumers;
using DotMac.Messaging.TestHost.Sagas;
using DotMac.ServiceDefaults;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DotMac.Messaging.TestHost;

/// <summary>
/// The test service, built the way every DotMac service is: ServiceDefaults, its own database, the bus.
///   POST /widgets?count=N[&amp;die=true]   N widgets and N WidgetCreated in one transaction; die: SIGKILL right after commit
///   POST /publish/{kind}               publishes a counter increment, reminder request/cancel or poison pill
/// </summary>
public static class TestHostApp
{
    public const string DatabaseName = "testhost-db";

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddServiceDatabase(DatabaseName, typeof(TestHostApp).Assembly);
        builder.AddServiceBus(x =>
        {
            x.AddConsumer<WidgetCreatedConsumer>();
            x.AddConsumer<PoisonPillConsumer>();
            x.AddConsumer<ReminderFiredConsumer>();
            x.AddSagaStateMachine<CounterStateMachine, CounterState>();
            x.AddSagaStateMachine<ReminderStateMachine, ReminderState>();
        });
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapPost("/widgets", CreateWidgets);
        app.MapPost("/counters/{id:guid}/increment", (Guid id, int amount, IPublishEndpoint publish, CancellationToken ct) =>
            Publish(publish, new CounterIncremented(id, amount), ct));
        app.MapPost("/reminders/{id:guid}", (Guid id, int delayMilliseconds, IPublishEndpoint publish, CancellationToken ct) =>
            Publish(publish, new ReminderRequested(id, delayMilliseconds), ct));
        app.MapPost("/reminders/{id:guid}/cancel", (Guid id, IPublishEndpoint publish, CancellationToken ct) =>
            Publish(publish, new ReminderCancelled(id), ct));
        app.MapPost("/poison/{id:guid}", (Guid id, IPublishEndpoint publish, CancellationToken ct) =>
            Publish(publish, new PoisonPill(id), ct));
        return app;
    }

    public sealed record Batch(Guid Id, int Count);

    static async Task<Ok<Batch>> CreateWidgets(DbSession session, IPublishEndpoint publish, CancellationToken cancellationToken,
        int count = 1, bool die = false)
    {
        var batch = Guid.NewGuid();
        await session.BeginAsync(cancellationToken);
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid();
            await session.Connection.ExecuteAsync(new CommandDefinition(TestHostSql.InsertWidget, new { id, batch }, session.Transaction,
                cancellationToken: cancellationToken));
            await publish.Publish(new WidgetCreated(id, batch), cancellationToken);
        }
        await session.CommitAsync(cancellationToken);
        if (die)
            Process.GetCurrentProcess().Kill(); // SIGKILL: no shutdown, no dispatch, nothing flushed
        return TypedResults.Ok(new Batch(batch, count));
    }

    // Outside a transaction the outbox commits the event on its own: durable before the 202.
    static async Task<Accepted> Publish<T>(IPublishEndpoint publish, T message, CancellationToken cancellationToken)
        where T : class
    {
        await publish.Publish(message, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}
