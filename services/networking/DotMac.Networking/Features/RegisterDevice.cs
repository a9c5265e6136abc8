using System.Net;
using Dapper;
using DotMac.Networking.Data;
using DotMac.Networking.Security;
using DotMac.Networking.Snmp;
using DotMac.Networking.Tenancy;
using DotMac.ServiceDefaults.Problems;
using Npgsql;

namespace DotMac.Networking.Features;

/// <summary>How to reach a device over SNMP. v1/v2c need <see cref="Community"/>; v3 needs <see cref="User"/> and its protocols.</summary>
public sealed record SnmpSettings(
    string Version,
    int Port = 161,
    string? Community = null,
    string? User = null,
    string? AuthProtocol = null,
    string? AuthPassword = null,
    string? PrivProtocol = null,
    string? PrivPassword = null);

public sealed record RegisterDeviceRequest(string Name, string ManagementAddress, SnmpSettings Snmp, string? Site = null, int PollIntervalSeconds = 60);

/// <summary>Adds a device to the tenant's inventory with its SNMP credentials encrypted.</summary>
internal static class RegisterDevice
{
    public static async Task<DeviceResponse> HandleAsync(RegisterDeviceRequest request, ITenantContext tenant, NpgsqlDataSource db,
        CredentialProtector protector, CancellationToken cancellationToken)
    {
        var (address, credentials) = Validate(request);
        var tenantId = tenant.TenantId;
        var id = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(DeviceSql.Insert, new
            {
                Id = id,
                TenantId = tenantId,
                Name = request.Name.Trim(),
                Site = request.Site?.Trim(),
                ManagementAddress = address,
                SnmpPort = request.Snmp.Port,
                SnmpVersion = request.Snmp.Version,
                Credentials = protector.Protect(credentials, tenantId, id),
                request.PollIntervalSeconds,
            }, cancellationToken: cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException($"A device named '{request.Name.Trim()}' already exists.", "device.name_taken");
        }
        var row = await connection.QuerySingleAsync<DeviceRow>(new CommandDefinition(DeviceSql.Get, new { TenantId = tenantId, Id = id }, cancellationToken: cancellationToken));
        return DeviceResponse.From(row);
    }

    static (IPAddress Address, SnmpCredentials Credentials) Validate(RegisterDeviceRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
            Fail("name", "A name of 1 to 200 characters is required.");
        if (!IPAddress.TryParse(request.ManagementAddress, out var address))
            Fail("managementAddress", "An IPv4 or IPv6 address is required.");
        if (request.PollIntervalSeconds is < 1 or > 86400)
            Fail("pollIntervalSeconds", "Between 1 and 86400 seconds.");
        var snmp = request.Snmp;
        if (snmp.Port is < 1 or > 65535)
            Fail("snmp.port", "A UDP port between 1 and 65535.");
        SnmpCredentials? credentials = null;
        switch (snmp.Version)
        {
            case "v1" or "v2c":
                if (string.IsNullOrEmpty(snmp.Community) || snmp.Community.Length > 255)
                    Fail("snmp.community", "A community is required for v1 and v2c.");
                credentials = new SnmpCredentials(snmp.Community, null, Snmp.AuthProtocol.None, null, Snmp.PrivProtocol.None, null);
                break;
            case "v3":
                var auth = SnmpProtocolNames.Auth(snmp.AuthProtocol);
                var priv = SnmpProtocolNames.Priv(snmp.PrivProtocol);
                if (auth is null)
                    Fail("snmp.authProtocol", "One of none, md5, sha, sha256, sha384, sha512.");
                if (priv is null)
                    Fail("snmp.privProtocol", "One of none, des, aes, aes192, aes256.");
                if (auth is not null && priv is not null)
                {
                    var user = new UsmUser(snmp.User ?? "", auth.Value, snmp.AuthPassword, priv.Value, snmp.PrivPassword);
                    try
                    {
                        user.Validate();
                        credentials = new SnmpCredentials(null, user.Name, user.Auth, user.AuthPassword, user.Priv, user.PrivPassword);
                    }
                    catch (ArgumentException e)
                    {
                        Fail("snmp." + char.ToLowerInvariant(e.ParamName![0]) + e.ParamName[1..], e.Message.Split(" (Parameter")[0]);
                    }
                }
                break;
            default:
                Fail("snmp.version", "One of v1, v2c, v3.");
                break;
        }
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
        return (address!, credentials!);
    }
}
