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
        WritePrivate(path, secret);
        return secret;
    }

    /// <summary>Writes a file that is created owner-only (0600), never readable by others even for a moment.</summary>
    public static void WritePrivate(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
            writer.Write(content);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // an older file kept its mode
    }
}
