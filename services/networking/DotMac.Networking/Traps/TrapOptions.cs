namespace DotMac.Networking.Traps;

/// <summary>"Networking:Traps": where the trap receiver listens (off when Port is 0) and whom it believes.</summary>
public sealed class TrapOptions
{
    public string Address { get; set; } = "0.0.0.0";

    public int Port { get; set; }

    public List<string> Communities { get; set; } = [];

    public List<TrapUserOptions> Users { get; set; } = [];
}
