namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// Wakes this process's outbox dispatcher right after a commit wrote bus-outbox rows. Other instances hear the same
/// commit through PostgreSQL's NOTIFY; a polling interval covers anything both miss.
/// </summary>
public sealed class OutboxSignal : WakeSignal;
