using System.Globalization;
using System.Text;

namespace DotMac.Devtools.Seed;

/// <summary>What one kind of thing the run made, and how many it found already there.</summary>
public sealed record SeedCount(string Kind, int Created, int Existing);

/// <summary>
/// A login of the demo: staff log in with the e-mail (and the tenant id), customers with the Portal ID. The password is
/// derived from the seed and <paramref name="PasswordOf"/> (<see cref="DemoCredentials"/>), so a stored report leaves it out.
/// </summary>
public sealed record SeedLogin(string Kind, string Role, string Login, string PasswordOf, string? Password, string? Detail = null);

/// <summary>A report as data (the CLI's --json, the API's answer, the run's record without passwords).</summary>
public sealed record SeedSummary(Guid? TenantId, string? TenantSlug, string? TenantName, int Created, IReadOnlyList<SeedCount> Counts,
    IReadOnlyList<SeedLogin> Logins, IReadOnlyList<string> Notes)
{
    public SeedSummary WithoutPasswords() => this with { Logins = [.. Logins.Select(l => l with { Password = null })] };

    /// <summary>The passwords put back: they follow from the seed (<see cref="DemoCredentials"/>).</summary>
    public SeedSummary WithPasswords(int seed) => this with { Logins = [.. Logins.Select(l => l with { Password = DemoCredentials.Password(seed, l.PasswordOf) })] };
}

/// <summary>What a seed run did: per kind created and existing, the logins, and notes on what it chose or skipped.</summary>
public sealed class SeedReport
{
    readonly List<SeedCount> _counts = [];
    readonly List<SeedLogin> _logins = [];
    readonly List<string> _notes = [];

    public Guid? TenantId { get; set; }
    public string? TenantSlug { get; set; }
    public string? TenantName { get; set; }
    public IReadOnlyList<SeedCount> Counts => _counts;
    public IReadOnlyList<SeedLogin> Logins => _logins;
    public IReadOnlyList<string> Notes => _notes;
    public int Created => _counts.Sum(c => c.Created);

    public void Count(string kind, int created, int existing)
    {
        lock (_counts)
            _counts.Add(new SeedCount(kind, created, existing));
    }

    public void Login(SeedLogin login)
    {
        lock (_logins)
            _logins.Add(login);
    }

    public void Note(string note)
    {
        lock (_notes)
            _notes.Add(note);
    }

    public SeedSummary ToSummary() => new(TenantId, TenantSlug, TenantName, Created, [.. _counts], [.. _logins], [.. _notes]);

    public string Render(Uri gateway)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"Tenant {TenantName} ({TenantSlug}), id {TenantId}");
        text.AppendLine(culture, $"{"what",-22} {"created",8} {"existing",9}");
        foreach (var count in _counts)
            text.AppendLine(culture, $"{count.Kind,-22} {count.Created,8} {count.Existing,9}");
        text.AppendLine(culture, $"{"total",-22} {Created,8} {_counts.Sum(c => c.Existing),9}");
        text.AppendLine();
        text.AppendLine(culture, $"Staff log in at POST {new Uri(gateway, "/api/v1/identity/auth/login")} with email, password and tenantId {TenantId}:");
        foreach (var login in _logins.Where(l => l.Kind == "staff"))
            text.AppendLine(culture, $"  {login.Role,-14} {login.Login,-36} {login.Password}");
        text.AppendLine(culture, $"Customers log in at POST {new Uri(gateway, "/api/v1/identity/auth/portal/login")} with portalId and password:");
        foreach (var login in _logins.Where(l => l.Kind == "customer"))
            text.AppendLine(culture, $"  {login.Login,-10} {login.Password,-16} {login.Detail}");
        foreach (var note in _notes)
            text.AppendLine(culture, $"Note: {note}");
        return text.ToString();
    }
}
