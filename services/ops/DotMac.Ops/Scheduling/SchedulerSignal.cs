using DotMac.ServiceDefaults;

namespace DotMac.Ops.Scheduling;

/// <summary>Wakes the delivery loop when a schedule changed, so a message due sooner than its next look is not late.</summary>
public sealed class SchedulerSignal : WakeSignal;
