using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace DotMac.Networking.Security;

/// <summary>
/// The credential key: "Networking:CredentialKey" (base64, 32 bytes) when configured (a Kubernetes secret), otherwise
/// generated at first start into networking-credentials.key (mode 0600) in the state directory (DOTMAC_STATE_DIR, or
/// the git-ignored .dotmac folder). Never a key in the repository.
/// </summary>
internal static class CredentialKey
{
    public const string ConfigurationKey = "Networking:CredentialKey";
    const string FileName = "networking-credentials.key";

    public static byte[] Load(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[ConfigurationKey];
        if (!string.IsNullOrEmpty(configured))
        {
            var key = Convert.FromBase64String(configured);
            return key.Length == 32 ? key : throw new InvalidOperationException($"{ConfigurationKey} must be 32 bytes in base64");
        }
        var folder = configuration["DOTMAC_STATE_DIR"] is { Length: > 0 } state ? state : Path.Combine(environment.ContentRootPath, ".dotmac");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            var fresh = RandomNumberGenerator.GetBytes(32);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, options))
                stream.Write(fresh);
            try
            {
                File.Move(temporary, path, overwrite: false); // two instances starting at once: the first one wins
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }
        var bytes = File.ReadAllBytes(path);
        return bytes.Length == 32 ? bytes : throw new InvalidOperationException($"{path} does not hold a 32-byte key");
    }
}
