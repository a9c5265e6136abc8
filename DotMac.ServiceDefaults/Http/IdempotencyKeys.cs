using System.Security.Cryptography;
using System.Text;
using DotMac.ServiceDefaults.Problems;

namespace DotMac.ServiceDefaults.Http;

/// <summary>
/// The rules of the Idempotency-Key header on a POST that must not happen twice (an order, a payment, a charge): the key
/// is required (400 without it), and a key already used for a different request is 422. Services store the key with a
/// hash of the request's meaning and answer a repeat with the first result.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    /// <summary>The key, or 400 naming what it protects ("order", "payment").</summary>
    public static string Require(string? key, string what) => key is { Length: > 0 and <= 200 } && !string.IsNullOrWhiteSpace(key) ? key
        : throw new BadRequestException($"An {Header} header (1 to 200 characters) is required: it makes a repeated {what} safe.", "idempotency_key.required");

    /// <summary>The 422 for a key whose first request differs from this one.</summary>
    public static ValidationFailedException Reused(string what) =>
        new(new Dictionary<string, string[]> { [Header] = [$"This key was used for a different {what}."] }, "idempotency_key.reused");

    /// <summary>A stable hash of a request's canonical text, to compare a repeat with the first.</summary>
    public static string Hash(string canonical) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
}
