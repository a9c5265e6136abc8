namespace DotMac.ServiceDefaults;

/// <summary>
/// Wakes a background loop early: any number of Notify calls before the loop waits again count as one wake-up.
/// Derive a type per loop so each can be registered on its own.
/// </summary>
public abstract class WakeSignal
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
            // Already signalled.
        }
    }

    /// <summary>True if woken, false when the timeout passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}
