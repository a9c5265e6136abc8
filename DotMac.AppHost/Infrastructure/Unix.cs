using System.Runtime.InteropServices;

namespace DotMac.AppHost.Infrastructure;

/// <summary>The few POSIX calls .NET does not expose: signals, and who we are.</summary>
public static partial class Unix
{
    public const int SigTerm = 15;
    public const int SigKill = 9;
    public const int SigInt = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    public static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>Signal 0 checks existence; EPERM means it exists but is someone else's.</summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0)
            return false;
        if (Kill(pid, 0) == 0)
            return true;
        return Marshal.GetLastPInvokeError() == 1; // EPERM
    }

    /// <summary>True when the process exists and is not a zombie.</summary>
    public static bool IsRunning(int pid)
    {
        if (!IsAlive(pid))
            return false;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z";
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
