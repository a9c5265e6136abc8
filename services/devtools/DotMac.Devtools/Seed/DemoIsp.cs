using System.Globalization;
using System.Text;
using Bogus;

namespace DotMac.Devtools.Seed;

public sealed record DemoStaff(string Role, string Email, string DisplayName);
public sealed record DemoPool(string Name, string Prefix, string Network, string Site, int? AssignLength, string? Gateway, string Description);
public sealed record DemoDevice(string Name, string Site);

/// <summary>One customer: who, and what they buy (no plan: a prospect with a portal account and no service yet).</summary>
public sealed record DemoCustomer(int Index, string Kind, string Name, string Email, string Phone, Address Address, string? PlanCode, string? Pool,
    string Username, bool Pays, string PaymentMethod, bool PortalLogin);

/// <summary>
/// The whole demo ISP as data, derived from the seed alone: the same seed gives the same tenant, people, plans,
/// addresses and choices on every machine (Bogus with a seeded randomizer, pinned version). Customer i depends only on
/// the seed and i, so a run with more customers adds to a smaller one instead of reshuffling it.
/// </summary>
public sealed class DemoIsp
{
    public const string Currency = "USD";
    public const int PortalLogins = 3;
    public const string SnmpCommunity = "public";

    DemoIsp(int seed) => Seed = seed;

    public int Seed { get; }
    public string Slug => $"demo-{Seed}";
    public string Domain => $"{Slug}.example.net";
    public string Name { get; private init; } = "";
    public TenantSettings Settings { get; } = new(Currency, "America/Chicago", 1,
        [new TaxRate("State sales tax", 6.25m, false), new TaxRate("Universal service fee", 2.5m, false)],
        new DunningPolicy([3, 7], 14, 45));

    /// <summary>Invoices are due on receipt, so the customers who do not pay are overdue at billing's next sweep (a minute).</summary>
    public int PaymentTermsDays => 0;

    public IReadOnlyList<DemoStaff> Staff { get; private init; } = [];
    public IReadOnlyList<CreatePlan> Plans { get; } =
    [
        new("lite-25", "Lite 25", new PlanTerms(25, 5, 19.99m, Currency, DataCapGb: 300, FairUseDownloadMbps: 5, FairUseUploadMbps: 1)),
        new("fiber-100", "Fiber 100", new PlanTerms(100, 20, 39.99m, Currency)),
        new("fiber-300", "Fiber 300", new PlanTerms(300, 50, 54.99m, Currency, BurstDownloadMbps: 400, BurstUploadMbps: 60, BurstSeconds: 30)),
        new("fiber-1000", "Fiber Gig", new PlanTerms(1000, 200, 79.99m, Currency)),
        new("business-500", "Business 500", new PlanTerms(500, 500, 149.00m, Currency, BurstDownloadMbps: 800, BurstUploadMbps: 800, BurstSeconds: 60)),
        new("enterprise-2000", "Enterprise 2G", new PlanTerms(2000, 2000, 499.00m, Currency)),
    ];

    public IReadOnlyList<CreatePrefix> Prefixes { get; } =
    [
        new("100.64.0.0/17", "metro", "Shared address space (CGNAT), metro"),
        new("100.64.128.0/17", "north", "Shared address space (CGNAT), north"),
        new("2001:db8::/32", "metro", "IPv6 (documentation range)"),
    ];

    public IReadOnlyList<DemoPool> Pools { get; } =
    [
        new("metro-residential", "100.64.0.0/17", "100.64.0.0/21", "metro", null, "100.64.0.1", "Residential subscribers, metro"),
        new("north-residential", "100.64.128.0/17", "100.64.128.0/21", "north", null, "100.64.128.1", "Residential subscribers, north"),
        new("metro-business", "100.64.0.0/17", "100.64.8.0/23", "metro", null, "100.64.8.1", "Business and enterprise subscribers"),
        new("metro-ipv6-pd", "2001:db8::/32", "2001:db8:100::/40", "metro", 56, null, "IPv6 prefix delegation, a /56 each"),
    ];

    public IReadOnlyList<DemoDevice> Devices { get; } =
    [
        new("metro-core-1", "metro"), new("metro-bng-1", "metro"), new("metro-olt-1", "metro"), new("north-bng-1", "north"), new("north-olt-1", "north"),
    ];

    public IReadOnlyList<DemoCustomer> Customers { get; private init; } = [];

    public static DemoIsp Create(int seed, int customers)
    {
        var faker = NewFaker(seed, "tenant");
        var name = $"{faker.Name.LastName()} {faker.PickRandom("Fiber", "Broadband", "Networks", "Internet")}";
        var isp = new DemoIsp(seed) { Name = name };
        string[] roles = ["tenant_admin", "billing_clerk", "noc_engineer", "support_agent", "reseller"];
        string[] mailboxes = ["admin", "billing", "noc", "support", "sales"];
        var staff = roles.Select((role, i) => new DemoStaff(role, $"{mailboxes[i]}@{isp.Domain}", $"{faker.Name.FirstName()} {faker.Name.LastName()}")).ToList();
        var list = Enumerable.Range(1, customers).Select(i => isp.NewCustomer(i)).ToList();
        return isp.With(staff, PickPortalLogins(list));
    }

    DemoIsp With(IReadOnlyList<DemoStaff> staff, IReadOnlyList<DemoCustomer> customers) => new(Seed) { Name = Name, Staff = staff, Customers = customers };

    DemoCustomer NewCustomer(int index)
    {
        var f = NewFaker(Seed, $"customer-{index}");
        var kind = f.Random.WeightedRandom(["residential", "business", "enterprise"], [0.85f, 0.12f, 0.03f]);
        var first = f.Name.FirstName();
        var last = f.Name.LastName();
        var name = kind == "residential" ? $"{first} {last}" : f.Company.CompanyName();
        var email = $"{Mailbox(kind == "residential" ? $"{first}.{last}" : name)}.{index:0000}@example.com";
        var address = new Address(f.Address.StreetAddress(), f.Address.City(), f.Address.ZipCode("#####"), "US",
            kind == "residential" ? null : f.Address.SecondaryAddress(), f.Address.StateAbbr());
        string? plan = f.Random.Bool(0.95f)
            ? kind switch
            {
                "business" => "business-500",
                "enterprise" => "enterprise-2000",
                _ => f.Random.WeightedRandom(["lite-25", "fiber-100", "fiber-300", "fiber-1000"], [0.15f, 0.40f, 0.30f, 0.15f]),
            }
            : null;
        var pool = plan is null ? null : kind == "residential" ? f.Random.Bool(0.6f) ? "metro-residential" : "north-residential" : "metro-business";
        var pays = f.Random.Bool(0.8f);
        var method = f.Random.WeightedRandom(["card", "bank_transfer", "manual"], [0.5f, 0.3f, 0.2f]);
        return new DemoCustomer(index, kind, name, email, f.Phone.PhoneNumber("+1 ###-###-####"), address, plan, pool,
            $"{Slug}-{index:0000}", pays, method, false);
    }

    /// <summary>The first paying subscriber, the first one who does not pay (overdue) and the second paying one.</summary>
    static List<DemoCustomer> PickPortalLogins(List<DemoCustomer> customers)
    {
        var subscribers = customers.Where(c => c.PlanCode is not null).ToList();
        var chosen = subscribers.Where(c => c.Pays).Take(1)
            .Concat(subscribers.Where(c => !c.Pays).Take(1))
            .Concat(subscribers.Where(c => c.Pays).Skip(1).Take(1))
            .Concat(subscribers).Distinct().Take(PortalLogins).Select(c => c.Index).ToHashSet();
        return [.. customers.Select(c => chosen.Contains(c.Index) ? c with { PortalLogin = true } : c)];
    }

    static Faker NewFaker(int seed, string what) => new("en") { Random = new Randomizer(DemoCredentials.Derive(seed, what)) };

    /// <summary>A mailbox from a name: lower-case letters and dots only.</summary>
    static string Mailbox(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name.ToLower(CultureInfo.InvariantCulture))
        {
            if (char.IsAsciiLetterLower(c))
                text.Append(c);
            else if ((c is '.' or ' ' or '-') && text.Length > 0 && text[^1] != '.')
                text.Append('.');
        }
        return text.ToString().Trim('.') is { Length: > 0 } mailbox ? mailbox[..Math.Min(mailbox.Length, 40)].TrimEnd('.') : "customer";
    }
}
