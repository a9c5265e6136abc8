namespace DotMac.AppHost.Infrastructure;

/// <summary>
/// Who is using a DotMac-managed server: one file per process. The server is stopped when its last user lets go,
/// so an AppHost and a test run can share one server and neither pulls it from under the other. Leases of dead
/// processes are stale and swept.
/// </summary>
public sealed class Leases(string directory)
{
    public void Take()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(PathOf(Environment.ProcessId), DateTimeOffset.UtcNow.ToString("O"));
    }

    public void Drop()
    {
        var path = PathOf(Environment.ProcessId);
        if (File.Exists(path))
            File.Delete(path);
    }

    public bool HeldByMe => File.Exists(PathOf(Environment.ProcessId));

    /// <summary>Live holders after sweeping the stale ones.</summary>
    public IReadOnlyList<int> Holders()
    {
        if (!Directory.Exists(directory))
            return [];
        var live = new List<int>();
        foreach (var file in Directory.GetFiles(directory))
        {
            if (int.TryParse(Path.GetFileName(file), out var pid) && Unix.IsRunning(pid))
                live.Add(pid);
            else
                File.Delete(file);
        }
        return live;
    }

    string PathOf(int pid) => Path.Combine(directory, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
