namespace DotMac.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// Wakes this process's outbox dispatcher right after a commit wrote bus-outbox rows. Other instances hear the same
/// commit through PostgreSQL's NOTIFY; a polling interval covers anything both miss.
/// </summary>
public sealed class OutboxSignal
{
    readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_pending.CurrentCount == 0)
                _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every commit before it.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}
