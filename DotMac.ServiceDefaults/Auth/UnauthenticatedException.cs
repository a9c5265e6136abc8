using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http;

namespace DotMac.ServiceDefaults.Auth;

/// <summary>No valid credentials (401): a missing or invalid token, or a failed login.</summary>
public sealed class UnauthenticatedException(string detail = "A valid access token is required.", string code = "unauthenticated")
    : DomainException("Unauthenticated", detail, StatusCodes.Status401Unauthorized, code);
