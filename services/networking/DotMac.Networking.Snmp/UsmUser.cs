namespace DotMac.Networking.Snmp;

/// <summary>An SNMPv3 user: name, authentication and privacy. Passwords never appear in <see cref="ToString"/>.</summary>
public sealed record UsmUser(string Name, AuthProtocol Auth = AuthProtocol.None, string? AuthPassword = null,
    PrivProtocol Priv = PrivProtocol.None, string? PrivPassword = null)
{
    public bool Authenticates => Auth != AuthProtocol.None;

    public bool Encrypts => Priv != PrivProtocol.None;

    /// <summary>Refuses combinations USM does not allow and passwords net-snmp would refuse (under 8 characters).</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name) || Name.Length > 32)
            throw new ArgumentException("An SNMPv3 user name has 1 to 32 characters", nameof(Name));
        if (Encrypts && !Authenticates)
            throw new ArgumentException("Privacy needs authentication (authPriv)", nameof(Priv));
        if (Authenticates && (AuthPassword is null || AuthPassword.Length < 8))
            throw new ArgumentException("The authentication password needs at least 8 characters", nameof(AuthPassword));
        if (Encrypts && (PrivPassword is null || PrivPassword.Length < 8))
            throw new ArgumentException("The privacy password needs at least 8 characters", nameof(PrivPassword));
    }

    public override string ToString() => $"{Name} ({Auth}/{Priv})";
}
