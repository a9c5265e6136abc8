using System.Text.Json.Serialization;

namespace DotMac.Identity.Tokens;

/// <summary>The OAuth 2.0 token response (RFC 6749 section 5.1), in its standard snake_case names.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("scope")] string? Scope);
