using System.Text;

namespace DotMac.ServiceDefaults.Messaging;

/// <summary>
/// The public name of an integration event, as partners see it in the history, in webhooks and in the event catalog:
/// "ServiceActivated" is "service.activated", "TenantBillingSettingsChanged" is "tenant_billing_settings.changed",
/// "UserLockedOut" is "user.locked_out". The last word is what happened, the words before it what it happened to.
/// </summary>
public static class EventNames
{
    // A verb's particle belongs to the verb: "LockedOut" is one thing that happened.
    static readonly HashSet<string> Particles = new(StringComparer.Ordinal) { "Out", "In", "Off", "Over" };

    public static string PublicName(string contractName)
    {
        var words = Words(contractName);
        if (words.Count < 2)
            return contractName.ToLowerInvariant();
        var verbLength = words.Count >= 3 && Particles.Contains(words[^1]) ? 2 : 1;
        var subject = string.Join('_', words.Take(words.Count - verbLength)).ToLowerInvariant();
        var verb = string.Join('_', words.Skip(words.Count - verbLength)).ToLowerInvariant();
        return $"{subject}.{verb}";
    }

    static List<string> Words(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            // A new word at an upper-case letter that follows a lower-case one, or that starts "Xy" after capitals ("IPAddress" -> IP, Address).
            var boundary = char.IsUpper(c) && current.Length > 0
                && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || i + 1 < name.Length && char.IsLower(name[i + 1]));
            if (boundary)
            {
                words.Add(current.ToString());
                current.Clear();
            }
            current.Append(c);
        }
        if (current.Length > 0)
            words.Add(current.ToString());
        return words;
    }
}
