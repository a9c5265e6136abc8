using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace DotMac.ServiceDefaults.Problems;

/// <summary>
/// Maps exceptions to problem details: domain exceptions to their status, bad requests to 400/413, and anything
/// else to a 500 that is logged with its stack but never shows it to the caller.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            // The caller left; there is nobody to answer. 499 is what proxies log for it.
            context.Response.StatusCode = 499;
            return true;
        }

        var problem = exception switch
        {
            ValidationFailedException v => new ValidationProblemDetails(v.Errors) { Title = v.Title, Detail = v.Message, Status = v.StatusCode },
            DomainException d => new ProblemDetails { Title = d.Title, Detail = d.Message, Status = d.StatusCode },
            BadHttpRequestException b => new ProblemDetails { Title = BadRequestTitle(b.StatusCode), Detail = BadRequestDetail(b), Status = b.StatusCode },
            JsonException j => new ProblemDetails { Title = "Malformed JSON", Detail = j.Message, Status = StatusCodes.Status400BadRequest },
            _ => null,
        };
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = new ProblemDetails
            {
                Title = "An unexpected error occurred",
                Detail = "The error has been logged; quote the traceId when reporting it.",
                Status = StatusCodes.Status500InternalServerError,
            };
        }
        else
        {
            logger.LogInformation("{Status} for {Method} {Path}: {Detail}", problem.Status, context.Request.Method, context.Request.Path, problem.Detail);
        }
        if (exception is DomainException domain)
            problem.Extensions["code"] = domain.Code;

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    static string BadRequestTitle(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Request body too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        _ => "Bad request",
    };

    // The framework's message names the parameter and what was wrong; the inner JSON error says where.
    static string BadRequestDetail(BadHttpRequestException exception) =>
        exception.InnerException is JsonException json ? $"{exception.Message} {json.Message}" : exception.Message;
}
