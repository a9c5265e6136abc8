using System.Security.Cryptography;

namespace DotMac.Identity.Features;

/// <summary>Portal IDs: 8 characters from an alphabet without look-alikes (no 0/O, 1/I), e.g. "K7QM4XRT".</summary>
public static class PortalIds
{
    public const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    public const int Length = 8;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>Upper case without spaces or dashes, as people type them ("k7qm-4xrt").</summary>
    public static string Normalize(string value) =>
        new(value.Where(c => c is not (' ' or '-')).Select(char.ToUpperInvariant).ToArray());

    public static bool IsValid(string value) => value.Length == Length && value.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
