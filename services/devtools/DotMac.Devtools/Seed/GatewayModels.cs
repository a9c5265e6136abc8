namespace DotMac.Devtools.Seed;

// The request and answer shapes of the services' public APIs, as the seeder uses them (camelCase JSON). Answers list
// only the fields the seeder reads; requests are complete, because the services refuse unknown or missing fields.

// platform
public sealed record TaxRate(string Name, decimal Percent, bool Inclusive);
public sealed record DunningPolicy(IReadOnlyList<int> ReminderDays, int SuspendAfterDays, int TerminateAfterDays);
public sealed record TenantSettings(string Currency, string TimeZone, int BillingDay, IReadOnlyList<TaxRate> TaxRates, DunningPolicy Dunning);
public sealed record CreateTenant(string Slug, string Name, string Plan, TenantSettings Settings);
public sealed record Tenant(Guid Id, string Slug, string Name, string Plan, string Status, TenantSettings Settings, int SettingsVersion);
public sealed record TenantPage(IReadOnlyList<Tenant> Items, Guid? Next);

// identity
public sealed record CreateUser(string Email, string DisplayName, string Password, IReadOnlyList<string> Roles);
public sealed record User(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles);
public sealed record UserPage(IReadOnlyList<User> Items, string? Next);
public sealed record Address(string Line1, string City, string PostalCode, string Country, string? Line2 = null, string? Region = null);
public sealed record CreateCustomer(string Kind, string Name, string Email, Address Address, bool PortalAccount, string? Phone = null);
public sealed record Customer(Guid Id, string Kind, string Name, string Email, string? PortalId, string? PortalStatus);
public sealed record PortalCredentials(string PortalId, string InitialPassword);
public sealed record CustomerCreated(Customer Customer, PortalCredentials? Portal);
public sealed record CustomerPage(IReadOnlyList<Customer> Items, string? Next);
public sealed record PortalActivation(string PortalId, string CurrentPassword, string NewPassword);

// services
public sealed record PlanTerms(int DownloadMbps, int UploadMbps, decimal Price, string Currency, string BillingPeriod = "monthly",
    int? BurstDownloadMbps = null, int? BurstUploadMbps = null, int? BurstSeconds = null, int? DataCapGb = null,
    int? FairUseDownloadMbps = null, int? FairUseUploadMbps = null);
public sealed record CreatePlan(string Code, string Name, PlanTerms Terms);
public sealed record Plan(Guid Id, string Code, string Name, string Status, int Version, PlanTerms Terms);
public sealed record CreateOrder(Guid CustomerId, Guid PlanId, Guid PoolId, string? Username = null);
public sealed record Order(Guid Id, Guid ServiceId, Guid CustomerId, Guid PlanId, string Username, string Status, string ServiceStatus,
    string? Address, string? FailedStep, string? FailureReason);

// networking
public sealed record CreatePrefix(string Prefix, string? Site = null, string? Description = null);
public sealed record IpPrefix(Guid Id, string Prefix, string? Site);
public sealed record CreatePool(string Name, Guid PrefixId, string Network, int? AssignLength = null, string? Gateway = null, string? Description = null);
public sealed record IpPool(Guid Id, string Name, Guid PrefixId, string Network);
public sealed record SnmpSettings(string Version, int Port = 161, string? Community = null);
public sealed record RegisterDevice(string Name, string ManagementAddress, SnmpSettings Snmp, string? Site = null, int PollIntervalSeconds = 60);
public sealed record Device(Guid Id, string Name);

// billing
public sealed record BillingSettings(int SettingsVersion, string? Currency, string TimeZone, int BillingDay, int PaymentTermsDays, bool InvoiceSuspended);
public sealed record BillingPolicy(bool InvoiceSuspended, int PaymentTermsDays);
public sealed record StartCycle(DateOnly? PeriodStart = null);
public sealed record StartedCycle(Guid Id, DateOnly PeriodStart, DateOnly PeriodEnd);
public sealed record Cycle(Guid Id, DateOnly PeriodStart, DateOnly PeriodEnd, string Status, int Invoices);
public sealed record BillingAccount(Guid Id, Guid CustomerId);
public sealed record Invoice(Guid Id, string? Number, Guid CustomerId, string Status, string Currency, decimal Total, decimal AmountDue);
public sealed record CardDetails(string Number, int ExpiryMonth, int ExpiryYear, string Cvc);
public sealed record PaymentRequest(decimal Amount, string Method, Guid? CustomerId = null, string? Currency = null, string? Reference = null, CardDetails? Card = null);
public sealed record Payment(Guid Id, string Status, decimal Amount, string? FailureReason);
