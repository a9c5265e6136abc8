namespace DotMac.Identity.Features;

/// <summary>One role of a subject and one of its permissions (null when the role has none).</summary>
public sealed record Grant(string Role, string? Resource, string? Action, string? Scope);
