namespace DotMac.AppHost.Infrastructure;

/// <summary>
/// Where DotMac keeps local server data, generated secrets, leases and logs: the git-ignored ".dotmac" folder at
/// the repository root (DOTMAC_STATE_DIR overrides), so data survives restarts and is shared by the AppHost and tests.
/// </summary>
public static class StateDirectory
{
    public const string Variable = "DOTMAC_STATE_DIR";

    public static string Resolve(string? startDirectory = null)
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        var path = !string.IsNullOrWhiteSpace(configured)
            ? Path.GetFullPath(configured)
            : Path.Combine(RepositoryRoot(startDirectory ?? AppContext.BaseDirectory), ".dotmac");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The folder holding DotMac.sln, found by walking up from <paramref name="start"/>.</summary>
    public static string RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DotMac.sln")))
                return dir.FullName;
        }
        throw new InfrastructureException(
            $"Cannot find DotMac.sln above {start}; run from inside the repository or set {Variable} to a folder for local data.");
    }
}
