using System.Security.Cryptography;
using System.Text;

namespace DotMac.Devtools.Seed;

/// <summary>
/// The passwords of the demo's logins, derived from the seed and the login so every run (and the report of a past
/// run) knows them without storing them anywhere. Anyone who knows the seed knows them: demo data only.
/// </summary>
public static class DemoCredentials
{
    const string Lower = "abcdefghijkmnpqrstuvwxyz";
    const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    const string Digits = "23456789";

    /// <summary>14 characters, lower and upper case and digits (identity's policy), never containing the login name.</summary>
    public static string Password(int seed, string login)
    {
        var name = login.Split('@')[0];
        for (var attempt = 0; ; attempt++)
        {
            var bytes = HMACSHA256.HashData(Encoding.UTF8.GetBytes("dotmac-demo-seed"), Encoding.UTF8.GetBytes($"{seed}|{login}|{attempt}"));
            var text = new StringBuilder(14);
            for (var i = 0; i < 14; i++)
            {
                var alphabet = i < 6 ? Lower : i < 10 ? Upper : Digits;
                text.Append(alphabet[bytes[i] % alphabet.Length]);
            }
            var password = text.ToString();
            if (name.Length < 3 || !password.Contains(name, StringComparison.OrdinalIgnoreCase))
                return password;
        }
    }

    /// <summary>A stable number from the seed and a name (string.GetHashCode differs per process).</summary>
    public static int Derive(int seed, string what)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}|{what}"));
        return BitConverter.ToInt32(bytes, 0) & int.MaxValue;
    }
}
