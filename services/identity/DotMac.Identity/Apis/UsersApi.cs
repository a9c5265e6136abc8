using Dapper;
using DotMac.Identity.Data;
using DotMac.Identity.Features;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DotMac.Identity.Apis;

/// <summary>
/// Staff users of the caller's tenant:
///   GET  /api/v1/users         page (?limit=&amp;after=)
///   POST /api/v1/users         with roles; nobody grants a permission they do not hold
///   GET  /api/v1/users/{id}
///   GET  /api/v1/users/me      any staff member, themselves
/// </summary>
public static class UsersApi
{
    public sealed record CreateUser(string Email, string DisplayName, string Password, IReadOnlyList<string> Roles);
    public sealed record User(Guid Id, Guid? TenantId, string Email, string DisplayName, string Status, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt);
    public sealed record UserPage(IReadOnlyList<User> Items, string? Next);

    public static void MapUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/users").WithTags("users");
        group.MapGet("/", List).WithSummary("List staff users").RequirePermission("users", "read");
        group.MapPost("/", Create).WithSummary("Create a staff user with roles").RequirePermission("users", "write");
        group.MapGet("/me", Me).WithSummary("The calling user, their roles and permissions").RequireAuthorization();
        group.MapGet("/{id:guid}", Get).WithSummary("One staff user").RequirePermission("users", "read");
    }

    static async Task<Ok<UserPage>> List(Caller caller, NpgsqlDataSource db, int? limit, string? after, CancellationToken cancellationToken)
    {
        var page = Paging.Parse(limit, after);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<UserRow>(new CommandDefinition(UsersSql.Page,
            new { caller.TenantId, page.AfterCreatedAt, page.AfterId, Limit = page.Limit + 1 }, cancellationToken: cancellationToken))).ToList();
        var items = rows.Take(page.Limit).Select(ToUser).ToList();
        return TypedResults.Ok(new UserPage(items, rows.Count > page.Limit ? Paging.Cursor(rows[page.Limit - 1].CreatedAt, rows[page.Limit - 1].Id) : null));
    }

    static async Task<Created<User>> Create(CreateUser body, Caller caller, NpgsqlDataSource db, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenantId = caller.TenantId;
        var errors = new Dictionary<string, string[]>();
        if (!Validation.IsEmail(body.Email))
            errors["email"] = ["must be an e-mail address"];
        if (string.IsNullOrWhiteSpace(body.DisplayName) || body.DisplayName.Length > 200)
            errors["displayName"] = ["must be 1 to 200 characters"];
        if (body.Roles.Count == 0)
            errors["roles"] = ["at least one role"];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
        PasswordPolicy.Validate("password", body.Password, body.Email);

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await Tenants.RequireActiveAsync(connection, tenantId, cancellationToken);
        var roles = await RoleGrants.AssignableAsync(connection, caller, tenantId, body.Roles, cancellationToken);

        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var id = Guid.CreateVersion7();
        var inserted = await connection.ExecuteAsync(new CommandDefinition(UsersSql.Insert, new
        {
            Id = id, TenantId = tenantId, Email = body.Email.Trim(), DisplayName = body.DisplayName.Trim(),
            PasswordHash = PasswordCheck.Hash(body.Password), MustChangePassword = false, Now = time.GetUtcNow(),
        }, tx, cancellationToken: cancellationToken));
        if (inserted == 0)
            throw new ConflictException($"A user with e-mail '{body.Email}' exists in this tenant.", "user.email_taken");
        foreach (var role in roles)
            await connection.ExecuteAsync(new CommandDefinition(RolesSql.AssignToUser, new { UserId = id, RoleId = role }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<UserRow>(new CommandDefinition(UsersSql.Find, new { Id = id, TenantId = tenantId }, cancellationToken: cancellationToken));
        return TypedResults.Created($"/api/v1/users/{id}", ToUser(row));
    }

    static async Task<Ok<User>> Get(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(UsersSql.Find, new { Id = id, caller.TenantId }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("User", id);
        return TypedResults.Ok(ToUser(row));
    }

    static async Task<Ok<User>> Me(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        if (caller.Kind != CallerKind.Staff)
            throw new NotFoundException("User", caller.Subject);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(UsersSql.FindSelf, new { Id = caller.UserId }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("User", caller.UserId);
        return TypedResults.Ok(ToUser(row));
    }

    static User ToUser(UserRow row) => new(row.Id, row.TenantId, row.Email, row.DisplayName, row.Status,
        row.Roles.Split(' ', StringSplitOptions.RemoveEmptyEntries), new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)));
}
