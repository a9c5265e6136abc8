using Dapper;
using DotMac.Networking.Data;
using DotMac.Networking.Features;
using DotMac.Networking.Polling;
using DotMac.Networking.Security;
using DotMac.Networking.Snmp;
using DotMac.Networking.Tenancy;
using DotMac.ServiceDefaults.Auth;
using DotMac.ServiceDefaults.OpenApi;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Networking.Apis;

/// <summary>
/// The tenant's device inventory and what monitoring knows about it:
/// POST   /api/v1/devices                                          register (SNMP credentials encrypted at rest)
/// GET    /api/v1/devices?limit=&amp;offset=                            list, paginated
/// GET    /api/v1/devices/{id}                                     one device
/// DELETE /api/v1/devices/{id}                                     remove (its interfaces go with it)
/// POST   /api/v1/devices/{id}/interfaces/discover                 walk ifTable/ifXTable now
/// GET    /api/v1/devices/{id}/interfaces                          the discovered interfaces
/// GET    /api/v1/devices/{id}/interfaces/{ifIndex}/bandwidth      bits/s series (?bucket=5m&amp;from=&amp;to=)
/// GET    /api/v1/interfaces/top                                   busiest interfaces (?limit=10&amp;from=&amp;to=)
/// Reading needs network:read, changing network:write; every query filters by the caller's tenant.
/// </summary>
internal static class DevicesApi
{
    const string Resource = "network";

    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var devices = app.MapGroup("/api/v1/devices").WithTags("Devices");
        devices.MapPost("/", RegisterAsync).WithSummary("Register a device to poll over SNMP (v2c or v3)").RequirePermission(Resource, "write")
            .WithRequestExample(new RegisterDeviceRequest("olt-north-1", "10.20.0.2", new SnmpSettings("v2c", Community: "public"), "north-pop", 60));
        devices.MapGet("/", ListAsync).WithSummary("List devices with their status").RequirePermission(Resource, "read");
        devices.MapGet("/{id:guid}", GetAsync).WithSummary("One device, its status and last poll").RequirePermission(Resource, "read");
        devices.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Remove a device (its polling stops)").RequirePermission(Resource, "write");
        devices.MapPost("/{id:guid}/interfaces/discover", DiscoverAsync).WithSummary("Walk the device's interface table now").RequirePermission(Resource, "write");
        devices.MapGet("/{id:guid}/interfaces", InterfacesAsync).WithSummary("The device's interfaces").RequirePermission(Resource, "read");
        devices.MapGet("/{id:guid}/interfaces/{ifIndex:int}/bandwidth", BandwidthAsync).WithSummary("An interface's bandwidth over a time range").RequirePermission(Resource, "read");
        app.MapGet("/api/v1/interfaces/top", TopAsync).WithSummary("The busiest interfaces over a time range").WithTags("Interfaces").RequirePermission(Resource, "read");
        return app;
    }

    static async Task<Created<DeviceResponse>> RegisterAsync(RegisterDeviceRequest request, ITenantContext tenant, NpgsqlDataSource db,
        CredentialProtector protector, CancellationToken cancellationToken)
    {
        var device = await RegisterDevice.HandleAsync(request, tenant, db, protector, cancellationToken);
        return TypedResults.Created($"/api/v1/devices/{device.Id}", device);
    }

    static async Task<Ok<DevicePage>> ListAsync(ITenantContext tenant, NpgsqlDataSource db, CancellationToken cancellationToken, int limit = 50, int offset = 0)
    {
        OffsetPaging.Validate(limit, offset);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeviceRow>(new CommandDefinition(DeviceSql.List, new { tenant.TenantId, Limit = limit, Offset = offset }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(DeviceSql.Count, new { tenant.TenantId }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new DevicePage([.. rows.Select(DeviceResponse.From)], total, limit, offset));
    }

    static async Task<Ok<DeviceResponse>> GetAsync(Guid id, ITenantContext tenant, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DeviceRow>(new CommandDefinition(DeviceSql.Get, new { tenant.TenantId, Id = id }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Device", id);
        return TypedResults.Ok(DeviceResponse.From(row));
    }

    static async Task<NoContent> DeleteAsync(Guid id, ITenantContext tenant, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(DeviceSql.Delete, new { tenant.TenantId, Id = id }, cancellationToken: cancellationToken));
        return deleted == 0 ? throw new NotFoundException("Device", id) : TypedResults.NoContent();
    }

    static async Task<Ok<IReadOnlyList<InterfaceResponse>>> DiscoverAsync(Guid id, ITenantContext tenant, NpgsqlDataSource db, CredentialProtector protector,
        SnmpClient snmp, IOptions<PollingOptions> options, CancellationToken cancellationToken) =>
        TypedResults.Ok(await DiscoverInterfaces.HandleAsync(id, tenant, db, protector, snmp, options, cancellationToken));

    static async Task<Ok<IReadOnlyList<InterfaceResponse>>> InterfacesAsync(Guid id, ITenantContext tenant, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        _ = await connection.QuerySingleOrDefaultAsync<DeviceRow>(new CommandDefinition(DeviceSql.Get, new { tenant.TenantId, Id = id }, cancellationToken: cancellationToken))
            ?? throw new NotFoundException("Device", id);
        var rows = await connection.QueryAsync<InterfaceRow>(new CommandDefinition(InterfaceSql.ForDevice, new { tenant.TenantId, DeviceId = id }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<InterfaceResponse>>([.. rows.Select(InterfaceResponse.From)]);
    }

    static async Task<Ok<BandwidthSeriesResponse>> BandwidthAsync(Guid id, int ifIndex, ITenantContext tenant, NpgsqlDataSource db, CancellationToken cancellationToken,
        string? bucket = null, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        TypedResults.Ok(await BandwidthSeries.HandleAsync(id, ifIndex, bucket, from, to, tenant, db, cancellationToken));

    static async Task<Ok<IReadOnlyList<TopInterface>>> TopAsync(ITenantContext tenant, NpgsqlDataSource db, CancellationToken cancellationToken,
        int? limit = null, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        TypedResults.Ok(await TopInterfaces.HandleAsync(limit, from, to, tenant, db, cancellationToken));
}
