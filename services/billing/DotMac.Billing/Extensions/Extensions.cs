using Dapper;
using DotMac.Billing.Apis;
using DotMac.Billing.Cycles;
using DotMac.Billing.Dunning;
using DotMac.Billing.Payments;
using DotMac.Billing.Subscriptions;
using DotMac.Billing.Tenants;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Messaging;
using MassTransit;

namespace DotMac.Billing.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "billing-db";

    public static void AddApplicationServices(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        SqlMapper.AddTypeHandler(new DateOnlyTypeHandler());
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        builder.Services.Configure<BillingOptions>(builder.Configuration.GetSection("Billing"));
        BillingMetrics.Start();
        builder.AddServiceBus(x =>
        {
            x.AddConsumer<SubscriptionConsumers>();
            x.AddConsumer<TenantSettingsConsumer>();
            x.AddConsumer<BillingCycle>();
            x.AddSagaStateMachine<DunningStateMachine, DunningState>();
            configureBus?.Invoke(x);
        });
        builder.AddServiceAuthentication();
        builder.Services.AddScoped<PaymentDesk>();
        builder.Services.AddSingleton<IPaymentProvider, ManualPaymentProvider>();
        builder.Services.AddSingleton<IPaymentProvider, SandboxCardProcessor>();
        builder.Services.AddHostedService<OverdueSweep>();
    }

    /// <summary>Authentication, then every API of billing.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseServiceAuthentication();
        app.MapSubscriptionsApi();
        app.MapInvoicesApi();
        app.MapPaymentsApi();
        app.MapCyclesApi();
        return app;
    }

    /// <summary>date columns as DateOnly, both ways.</summary>
    sealed class DateOnlyTypeHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(System.Data.IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = System.Data.DbType.Date;
            parameter.Value = value;
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime t => DateOnly.FromDateTime(t),
            _ => throw new InvalidCastException($"Cannot read {value.GetType()} as a date."),
        };
    }
}
