using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using DotMac.Identity.Data;
using DotMac.Identity.Features;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.OpenApi;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Problems;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace DotMac.Identity.Apis;

/// <summary>
/// Customers of the caller's tenant and their portal accounts. "own" scope (resellers, customers) sees only the
/// customers it created, or itself.
///   GET  /api/v1/customers        page (?limit=&amp;after=)
///   POST /api/v1/customers        optionally with a portal account: its Portal ID and initial password are in this answer only
///   GET  /api/v1/customers/me     a customer's own record
///   GET  /api/v1/customers/{id}
/// </summary>
public static class CustomersApi
{
    public sealed record Address(string Line1, string City, string PostalCode, string Country, string? Line2 = null, string? Region = null);
    public sealed record CreateCustomer(string Kind, string Name, string Email, Address Address, bool PortalAccount, string? Phone = null);
    public sealed record Customer(Guid Id, Guid TenantId, string Kind, string Name, string Email, string? Phone, Address Address,
        string? PortalId, string? PortalStatus, DateTimeOffset CreatedAt);
    public sealed record PortalCredentials(string PortalId, string InitialPassword);
    public sealed record CustomerCreated(Customer Customer, PortalCredentials? Portal);
    public sealed record CustomerPage(IReadOnlyList<Customer> Items, string? Next);

    static readonly HashSet<string> Kinds = new(StringComparer.Ordinal) { "residential", "business", "enterprise" };
    static readonly JsonSerializerOptions Storage = new(JsonSerializerDefaults.Web);

    public static void MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/customers").WithTags("customers");
        group.MapGet("/", List).WithSummary("List customers; q searches name and email (contains, any case) and the exact Portal ID").RequirePermission("customers", "read");
        group.MapPost("/", Create).WithSummary("Create a customer, with a portal account if asked (its initial password is shown once)").RequirePermission("customers", "write")
            .WithRequestExample(new CreateCustomer("residential", "Jane Doe", "jane.doe@example.com", new Address("12 Harbour Road", "Hamburg", "20457", "DE"), true, "+49 40 1234567"));
        group.MapGet("/me", Me).WithSummary("The calling customer's own record").RequirePermission("customers", "read");
        group.MapGet("/{id:guid}", Get).WithSummary("One customer").RequirePermission("customers", "read");
    }

    static async Task<Ok<CustomerPage>> List(Caller caller, NpgsqlDataSource db, int? limit, string? after, CancellationToken cancellationToken, string? q = null)
    {
        var page = Paging.Parse(limit, after);
        q = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (q is { Length: > 200 })
            throw new ValidationFailedException("q", "At most 200 characters.");
        var own = caller.ScopeFor("customers", "read") == PermissionScope.Own;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<CustomerRow>(new CommandDefinition(CustomersSql.Page, new
        {
            caller.TenantId, OwnOnly = own, Caller = caller.UserId, CallerCustomer = caller.CustomerId ?? Guid.Empty,
            page.AfterCreatedAt, page.AfterId, Limit = page.Limit + 1,
            Search = q is null ? null : "%" + EscapeLike(q) + "%", Exact = q is null ? null : PortalIds.Normalize(q),
        }, cancellationToken: cancellationToken))).ToList();
        var items = rows.Take(page.Limit).Select(ToCustomer).ToList();
        return TypedResults.Ok(new CustomerPage(items, rows.Count > page.Limit ? Paging.Cursor(rows[page.Limit - 1].CreatedAt, rows[page.Limit - 1].Id) : null));
    }

    static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    static async Task<Created<CustomerCreated>> Create(CreateCustomer body, Caller caller, DbSession session, IPublishEndpoint publish, IdentityEvents events,
        CancellationToken cancellationToken)
    {
        var tenantId = caller.TenantId;
        Validate(body);
        var connection = await session.OpenAsync(cancellationToken);
        await Tenants.RequireActiveAsync(connection, tenantId, cancellationToken);
        // The customer, its portal account and CustomerCreated commit together (outbox).
        var tx = await session.BeginAsync(cancellationToken);
        var id = Guid.CreateVersion7();
        await connection.ExecuteAsync(new CommandDefinition(CustomersSql.Insert, new
        {
            Id = id, TenantId = tenantId, body.Kind, Name = body.Name.Trim(), Email = body.Email.Trim(), body.Phone,
            Address = JsonSerializer.Serialize(body.Address, Storage), CreatedBy = caller.UserId,
        }, tx, cancellationToken: cancellationToken));
        PortalCredentials? portal = null;
        if (body.PortalAccount)
            portal = await CreatePortalAccountAsync(connection, tx, tenantId, id, cancellationToken);
        await events.CustomerCreatedAsync(publish, tenantId, id, body.Kind, body.Name.Trim(), body.Email.Trim(), portal?.PortalId, cancellationToken);
        await session.CommitAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<CustomerRow>(new CommandDefinition(CustomersSql.Find,
            new { Id = id, TenantId = tenantId, OwnOnly = false, Caller = Guid.Empty, CallerCustomer = Guid.Empty }, cancellationToken: cancellationToken));
        return TypedResults.Created($"/api/v1/customers/{id}", new CustomerCreated(ToCustomer(row), portal));
    }

    static Task<Ok<Customer>> Me(Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken) =>
        caller.CustomerId is { } id ? Get(id, caller, db, cancellationToken) : throw new NotFoundException("Customer", "me");

    static async Task<Ok<Customer>> Get(Guid id, Caller caller, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var own = caller.ScopeFor("customers", "read") == PermissionScope.Own;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CustomerRow>(new CommandDefinition(CustomersSql.Find, new
        {
            Id = id, caller.TenantId, OwnOnly = own, Caller = caller.UserId, CallerCustomer = caller.CustomerId ?? Guid.Empty,
        }, cancellationToken: cancellationToken)) ?? throw new NotFoundException("Customer", id);
        return TypedResults.Ok(ToCustomer(row));
    }

    // A fresh Portal ID collides rarely (32^8 ids); on a collision another is drawn.
    static async Task<PortalCredentials> CreatePortalAccountAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid tenantId, Guid customerId, CancellationToken cancellationToken)
    {
        var password = InitialPassword();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var portalId = PortalIds.New();
            var inserted = await connection.ExecuteAsync(new CommandDefinition(CustomersSql.InsertPortalAccount, new
            {
                Id = Guid.CreateVersion7(), TenantId = tenantId, CustomerId = customerId, PortalId = portalId, PasswordHash = PasswordCheck.Hash(password),
            }, tx, cancellationToken: cancellationToken));
            if (inserted == 1)
                return new PortalCredentials(portalId, password);
        }
        throw new ConflictException("Could not draw a free Portal ID; try again.", "portal.id_exhausted");
    }

    static string InitialPassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz", 6) + RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ", 4)
        + RandomNumberGenerator.GetString("23456789", 4);

    static void Validate(CreateCustomer body)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Kinds.Contains(body.Kind))
            errors["kind"] = ["must be residential, business or enterprise"];
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200)
            errors["name"] = ["must be 1 to 200 characters"];
        if (!Validation.IsEmail(body.Email))
            errors["email"] = ["must be an e-mail address"];
        if (body.Phone is { } phone && (phone.Length is < 5 or > 20 || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-')))
            errors["phone"] = ["5 to 20 digits, spaces, dashes or a leading +"];
        if (string.IsNullOrWhiteSpace(body.Address.Line1) || body.Address.Line1.Length > 200)
            errors["address.line1"] = ["must be 1 to 200 characters"];
        if (string.IsNullOrWhiteSpace(body.Address.City) || body.Address.City.Length > 100)
            errors["address.city"] = ["must be 1 to 100 characters"];
        if (string.IsNullOrWhiteSpace(body.Address.PostalCode) || body.Address.PostalCode.Length > 20)
            errors["address.postalCode"] = ["must be 1 to 20 characters"];
        if (body.Address.Country.Length != 2 || !body.Address.Country.All(char.IsAsciiLetterUpper))
            errors["address.country"] = ["must be an ISO 3166 alpha-2 code, e.g. NG"];
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
    }

    static Customer ToCustomer(CustomerRow row) => new(row.Id, row.TenantId, row.Kind, row.Name, row.Email, row.Phone,
        JsonSerializer.Deserialize<Address>(row.Address, Storage)!, row.PortalId, row.PortalStatus,
        new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)));
}
