namespace DotMac.Billing;

/// <summary>"Billing" in configuration.</summary>
public sealed class BillingOptions
{
    /// <summary>
    /// How long a "day" of payment terms and dunning lasts. One day in production; tests shorten it (two seconds, say)
    /// to walk an invoice from issue through reminder, suspension and termination in under a minute.
    /// </summary>
    public TimeSpan DayLength { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often issued invoices past their due date are marked overdue (and their dunning started).</summary>
    public TimeSpan OverdueSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Accounts invoiced per transaction of a billing cycle.</summary>
    public int CycleBatchSize { get; set; } = 2000;
}
