using MassTransit;

namespace DotMac.Billing.Dunning;

/// <summary>One overdue invoice's dunning, keyed by the invoice id; stored as json by the PostgreSQL saga repository.</summary>
public sealed class DunningState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public Guid TenantId { get; set; }
    public Guid CustomerId { get; set; }
    public string Number { get; set; } = "";
    public DateTimeOffset DueAt { get; set; }

    /// <summary>The policy's steps at the time the invoice went overdue (a later policy change does not move them).</summary>
    public List<DunningStep> Steps { get; set; } = [];

    /// <summary>Index of the next step in <see cref="Steps"/>.</summary>
    public int Next { get; set; }
    public Guid? StepToken { get; set; }

    /// <summary>The services this dunning suspended (to restore when the invoice is settled).</summary>
    public List<Guid> Suspended { get; set; } = [];
}

/// <summary>A step of a dunning policy: reminder, suspend or terminate, so many days after the due date.</summary>
public sealed record DunningStep(string Action, int Day);

/// <summary>The next step of an invoice's dunning is due (delivered by ops's durable scheduler).</summary>
public sealed record DunningStepDue(Guid InvoiceId, int Step);
