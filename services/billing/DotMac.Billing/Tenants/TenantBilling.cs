using System.Text.Json;
using Dapper;
using DotMac.Billing.Invoicing;
using Npgsql;

namespace DotMac.Billing.Tenants;

/// <summary>A tenant's billing settings as billing holds them (defaults until platform's first TenantBillingSettingsChanged).</summary>
public sealed class TenantBillingRow
{
    public Guid TenantId { get; init; }
    public int SettingsVersion { get; init; }
    public string? Currency { get; init; }
    public string TimeZone { get; init; } = "UTC";
    public int BillingDay { get; init; } = 1;
    public string TaxRates { get; init; } = "[]";
    public int[] ReminderDays { get; init; } = [3];
    public int SuspendAfterDays { get; init; } = 14;
    public int TerminateAfterDays { get; init; } = 30;
    public int PaymentTermsDays { get; init; } = 14;
    public bool InvoiceSuspended { get; init; } = true;
    public long NextInvoiceNumber { get; init; } = 1;
    public long NextCreditNoteNumber { get; init; } = 1;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IReadOnlyList<TaxRate> Taxes() => JsonSerializer.Deserialize<List<TaxRate>>(TaxRates, Json) ?? [];

    public static string SerializeTaxes(IEnumerable<TaxRate> rates) => JsonSerializer.Serialize(rates, Json);

    /// <summary>The tenant's local calendar day of an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(TimeZone)).DateTime);

    public TenantBillingResponse ToResponse() => new(SettingsVersion, Currency?.Trim(), TimeZone, BillingDay, Taxes(), ReminderDays, SuspendAfterDays,
        TerminateAfterDays, PaymentTermsDays, InvoiceSuspended);
}

public sealed record TenantBillingResponse(int SettingsVersion, string? Currency, string TimeZone, int BillingDay, IReadOnlyList<TaxRate> TaxRates,
    IReadOnlyList<int> ReminderDays, int SuspendAfterDays, int TerminateAfterDays, int PaymentTermsDays, bool InvoiceSuspended);

/// <summary>Reads and locks a tenant's billing row, creating it with the defaults when billing has not heard of the tenant yet.</summary>
public static class TenantBilling
{
    const string Columns = """
        tenant_id, settings_version, currency, time_zone, billing_day, tax_rates::text as tax_rates, reminder_days, suspend_after_days,
        terminate_after_days, payment_terms_days, invoice_suspended, next_invoice_number, next_credit_note_number
        """;

    const string Ensure = "insert into tenant_billing (tenant_id) values (@TenantId) on conflict (tenant_id) do nothing";

    public const string Get = $"select {Columns} from tenant_billing where tenant_id = @TenantId";

    public static async Task<TenantBillingRow> GetAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid tenantId, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<TenantBillingRow>(new CommandDefinition(Get, new { TenantId = tenantId }, transaction, cancellationToken: cancellationToken))
        ?? new TenantBillingRow { TenantId = tenantId };

    /// <summary>
    /// The row under lock: whoever issues invoice or credit-note numbers holds it until commit, which is what keeps the
    /// numbers gapless (a rollback returns them) and in order.
    /// </summary>
    public static async Task<TenantBillingRow> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenantId, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(Ensure, new { TenantId = tenantId }, transaction, cancellationToken: cancellationToken));
        return await connection.QuerySingleAsync<TenantBillingRow>(new CommandDefinition(Get + " for update", new { TenantId = tenantId }, transaction, cancellationToken: cancellationToken));
    }

    public static Task TakeInvoiceNumbersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenantId, long count, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("update tenant_billing set next_invoice_number = next_invoice_number + @Count where tenant_id = @TenantId",
            new { TenantId = tenantId, Count = count }, transaction, cancellationToken: cancellationToken));

    public static Task TakeCreditNoteNumberAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid tenantId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("update tenant_billing set next_credit_note_number = next_credit_note_number + 1 where tenant_id = @TenantId",
            new { TenantId = tenantId }, transaction, cancellationToken: cancellationToken));

    public static string InvoiceNumber(long sequence) => $"INV-{sequence:D6}";

    public static string CreditNoteNumber(long sequence) => $"CN-{sequence:D6}";
}
