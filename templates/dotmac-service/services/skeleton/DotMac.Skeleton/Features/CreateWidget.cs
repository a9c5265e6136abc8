using System.Text.RegularExpressions;
using Dapper;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using DotMac.Skeleton.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DotMac.Skeleton.Features;

/// <summary>
/// POST /api/v1/widgets with an Idempotency-Key: 201 with the new widget; the same key and body again, 200 with the
/// first result; the same key with another body, 422; a code the tenant already uses under another key, 409.
/// </summary>
public static partial class CreateWidget
{
    public sealed record NewWidget(string Code, string Name);

    public static async Task<Results<Created<Widget>, Ok<Widget>>> HandleAsync(NewWidget body, Caller caller, DbSession session,
        [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey, CancellationToken cancellationToken)
    {
        var key = IdempotencyKeys.Require(idempotencyKey, "widget");
        Validate(body);
        var tenantId = caller.TenantId;
        var name = body.Name.Trim();
        var hash = IdempotencyKeys.Hash($"{body.Code}\n{name}");
        var id = Guid.CreateVersion7();

        await session.BeginAsync(cancellationToken);
        var connection = session.Connection;
        var inserted = await connection.ExecuteAsync(new CommandDefinition(WidgetsSql.Insert,
            new { Id = id, TenantId = tenantId, body.Code, Name = name, IdempotencyKey = key, RequestHash = hash },
            session.Transaction, cancellationToken: cancellationToken));
        if (inserted > 0)
        {
            var row = await connection.QuerySingleAsync<WidgetRow>(new CommandDefinition(WidgetsSql.Find,
                new { TenantId = tenantId, Id = id }, session.Transaction, cancellationToken: cancellationToken));
            await session.CommitAsync(cancellationToken);
            return TypedResults.Created($"/api/v1/widgets/{row.Id}", Widget.From(row));
        }

        // Nothing inserted: either this key was used before (a repeat, or a misuse), or the code is taken.
        var first = await connection.QuerySingleOrDefaultAsync<WidgetRow>(new CommandDefinition(WidgetsSql.FindByKey,
            new { TenantId = tenantId, IdempotencyKey = key }, session.Transaction, cancellationToken: cancellationToken))
            ?? throw new ConflictException($"A widget with code '{body.Code}' exists.", "widget.code_taken");
        if (first.RequestHash != hash)
            throw IdempotencyKeys.Reused("widget");
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(Widget.From(first));
    }

    static void Validate(NewWidget body)
    {
        var errors = new Dictionary<string, string[]>();
        if (!CodeFormat().IsMatch(body.Code))
            errors["code"] = ["1 to 63 characters: lower-case letters, digits and dashes, starting with a letter or digit."];
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 200)
            errors["name"] = ["1 to 200 characters."];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex CodeFormat();
}
