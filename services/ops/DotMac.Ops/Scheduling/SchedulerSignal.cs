namespace DotMac.Ops.Scheduling;

/// <summary>Wakes the delivery loop when a schedule changed, so a message due sooner than its next look is not late.</summary>
public sealed class SchedulerSignal
{
    readonly SemaphoreSlim _changed = new(0, 1);

    public void Changed()
    {
        try
        {
            if (_changed.CurrentCount == 0)
                _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _changed.WaitAsync(timeout, cancellationToken);
}
