namespace DotMac.Identity.Extensions;

/// <summary>
/// The local, git-ignored state folder for secrets identity generates at first start: DOTMAC_STATE_DIR, else the
/// ".dotmac" folder beside DotMac.sln. Outside a checkout (Kubernetes) the secrets come from configuration.
/// </summary>
static class LocalState
{
    public static string PathFor(string relative)
    {
        var root = Environment.GetEnvironmentVariable("DOTMAC_STATE_DIR");
        if (string.IsNullOrWhiteSpace(root))
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DotMac.sln")))
                {
                    root = Path.Combine(dir.FullName, ".dotmac");
                    break;
                }
            }
        }
        if (string.IsNullOrWhiteSpace(root))
            throw new InvalidOperationException(
                $"No local state folder for {relative}: set DOTMAC_STATE_DIR, or configure the secret explicitly (see docs/security.md).");
        return Path.Combine(root, relative);
    }

    /// <summary>Writes a secret readable by the owner only.</summary>
    public static void WriteSecret(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
        writer.Write(content);
    }
}
