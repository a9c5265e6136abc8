using System.Globalization;

namespace DotMac.AppHost.Infrastructure;

/// <summary>
/// Who is using a DotMac-managed server: one file per holder, named "{pid}.{id}". The server is stopped when its
/// last holder lets go, so an AppHost and a test run (or two holders in one process) can share one server and none
/// pulls it from under another. Leases of dead processes are stale and swept.
/// </summary>
public sealed class Leases(string directory)
{
    readonly string _id = $"{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}";

    string Mine => Path.Combine(directory, _id);

    public void Take()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Mine, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
    }

    public void Drop()
    {
        if (File.Exists(Mine))
            File.Delete(Mine);
    }

    public bool HeldByMe => File.Exists(Mine);

    /// <summary>Live holders (their pids, one per lease) after sweeping the stale ones.</summary>
    public IReadOnlyList<int> Holders()
    {
        if (!Directory.Exists(directory))
            return [];
        var live = new List<int>();
        foreach (var file in Directory.GetFiles(directory))
        {
            var name = Path.GetFileName(file);
            var pidPart = name.Split('.')[0];
            if (int.TryParse(pidPart, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && Unix.IsRunning(pid))
                live.Add(pid);
            else
                File.Delete(file);
        }
        return live;
    }
}
