using DotMac.ServiceDefaults.Problems;

namespace DotMac.Identity.Features;

/// <summary>At least 12 characters with lower case, upper case and a digit, and not containing the login name.</summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 128;

    public static void Validate(string field, string password, string loginName)
    {
        var problems = new List<string>();
        if (password.Length < MinimumLength)
            problems.Add($"must be at least {MinimumLength} characters");
        if (password.Length > MaximumLength)
            problems.Add($"must be at most {MaximumLength} characters");
        if (!password.Any(char.IsAsciiLetterLower) || !password.Any(char.IsAsciiLetterUpper) || !password.Any(char.IsAsciiDigit))
            problems.Add("must contain a lower-case letter, an upper-case letter and a digit");
        var name = loginName.Split('@')[0];
        if (name.Length >= 3 && password.Contains(name, StringComparison.OrdinalIgnoreCase))
            problems.Add("must not contain the login name");
        if (problems.Count > 0)
            throw new ValidationFailedException(new Dictionary<string, string[]> { [field] = problems.ToArray() }, "password.policy");
    }
}
