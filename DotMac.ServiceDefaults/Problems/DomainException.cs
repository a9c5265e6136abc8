using Microsoft.AspNetCore.Http;

namespace DotMac.ServiceDefaults.Problems;

/// <summary>
/// A failure the caller can act on. Handlers throw these (or return typed results); the exception handler turns
/// them into RFC 7807 problem details with the status below, never a 500.
/// </summary>
public abstract class DomainException(string title, string detail, int statusCode, string code) : Exception(detail)
{
    public string Title { get; } = title;
    public int StatusCode { get; } = statusCode;

    /// <summary>A stable, machine-readable error code (e.g. "tenant.not_found") partners can switch on.</summary>
    public string Code { get; } = code;
}

public sealed class NotFoundException(string resource, object id)
    : DomainException("Resource not found", $"{resource} '{id}' was not found.", StatusCodes.Status404NotFound,
        $"{resource.ToLowerInvariant()}.not_found");

public sealed class ConflictException(string detail, string code = "conflict")
    : DomainException("Conflict", detail, StatusCodes.Status409Conflict, code);

public sealed class ForbiddenException(string detail, string code = "forbidden")
    : DomainException("Forbidden", detail, StatusCodes.Status403Forbidden, code);

/// <summary>Input that is well-formed but breaks a rule (422), with the offending fields.</summary>
public sealed class ValidationFailedException(IDictionary<string, string[]> errors, string code = "validation_failed")
    : DomainException("One or more fields are invalid", "See 'errors' for the fields that failed validation.",
        StatusCodes.Status422UnprocessableEntity, code)
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public ValidationFailedException(string field, string message) : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }
}

/// <summary>A request that cannot be understood as sent (a missing required header, say): 400.</summary>
public sealed class BadRequestException(string detail, string code = "bad_request")
    : DomainException("Bad request", detail, StatusCodes.Status400BadRequest, code);
