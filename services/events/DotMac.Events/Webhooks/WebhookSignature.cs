using System.Security.Cryptography;
using System.Text;

namespace DotMac.Events.Webhooks;

/// <summary>
/// Standard Webhooks signatures: headers webhook-id, webhook-timestamp (Unix seconds) and webhook-signature, which holds
/// "v1,{base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"}" for each valid secret, space-separated (two while a rotated-out
/// secret is still valid). Secrets are "whsec_" + base64 of 32 random bytes; the key is the decoded bytes.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    /// <summary>The header's value: one signature per secret.</summary>
    public static string Header(IEnumerable<string> secrets, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var signatures = new List<string>();
        foreach (var secret in secrets)
            signatures.Add(Sign(secret, id, timestamp, body));
        return string.Join(' ', signatures);
    }

    /// <summary>What a partner does: true if any v1 signature of the header is the body's under <paramref name="secret"/>.</summary>
    public static bool Verify(string secret, string id, string timestamp, ReadOnlySpan<byte> body, string header)
    {
        if (!long.TryParse(timestamp, out var seconds))
            return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, id, seconds, body));
        foreach (var candidate in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected))
                return true;
        }
        return false;
    }
}
