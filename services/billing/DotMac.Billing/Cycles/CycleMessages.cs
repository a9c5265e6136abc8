namespace DotMac.Billing.Cycles;

/// <summary>Billing to itself: invoice the next batch of the cycle's accounts (batch numbers start at 0).</summary>
public sealed record InvoiceCycleBatch(Guid TenantId, Guid CycleId, int Batch);
