using DotMac.ServiceDefaults.Problems;

namespace DotMac.Devtools.Seed;

/// <summary>What to seed: the seed (which demo ISP: tenant demo-{seed}) and how many customers.</summary>
public sealed record SeedOptions(int Seed = SeedOptions.DefaultSeed, int Customers = SeedOptions.DefaultCustomers)
{
    public const int DefaultSeed = 42;
    public const int DefaultCustomers = 500;
    public const int MaxSeed = 999_999_999;

    /// <summary>The demo's address pools hold about 4,000 residential and 500 business subscribers.</summary>
    public const int MaxCustomers = 2000;

    /// <summary>The name a run is recorded under: one running seed per profile at a time.</summary>
    public string Profile => $"demo-{Seed}";

    /// <summary>422 with the fields that are out of range.</summary>
    public void Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Seed is < 0 or > MaxSeed)
            errors["seed"] = [$"0 to {MaxSeed}"];
        if (Customers is < 1 or > MaxCustomers)
            errors["customers"] = [$"1 to {MaxCustomers}"];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors, "seed.options_invalid");
    }
}
