using System.Security.Cryptography;

namespace DotMac.AppHost.Infrastructure;

/// <summary>Development secrets: generated at first start, kept in the git-ignored state folder, readable by us only.</summary>
public static class Secrets
{
    public static string ReadOrCreate(string path)
    {
        if (File.Exists(path))
            return File.ReadAllText(path).Trim();
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', 'x').Replace('/', 'y').TrimEnd('=');
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secret;
    }
}
