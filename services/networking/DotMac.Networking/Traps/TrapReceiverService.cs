using System.Net;
using Dapper;
using DotMac.Contracts.Networking;
using DotMac.Networking.Data;
using DotMac.Networking.Security;
using DotMac.Networking.Snmp;
using DotMac.Networking.Snmp.Traps;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DotMac.Networking.Traps;

/// <summary>
/// Receives SNMP traps and informs and publishes TrapReceived for each device whose management address sent one,
/// with linkDown/linkUp mapped to the discovered interface. Traps from unknown addresses are logged and dropped:
/// without a device there is no tenant to tell.
/// </summary>
internal sealed class TrapReceiverService(NpgsqlDataSource db, NetworkingEvents events, IOptions<TrapOptions> options,
    ILogger<TrapReceiverService> logger) : BackgroundService
{
    TrapListener? _listener;

    /// <summary>Where the listener is bound (port 0 in configuration picks a free one), once started.</summary>
    public IPEndPoint? LocalEndPoint => _listener?.LocalEndPoint;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Port != 0)
        {
            _listener = new TrapListener(new TrapListenerOptions
            {
                EndPoint = new IPEndPoint(IPAddress.Parse(settings.Address), settings.Port < 0 ? 0 : settings.Port),
                Communities = settings.Communities,
                Users = [.. settings.Users.Select(u => new UsmUser(u.Name,
                    SnmpProtocolNames.Auth(u.AuthProtocol) ?? throw new InvalidOperationException($"Unknown authentication protocol '{u.AuthProtocol}' in Networking:Traps:Users"), u.AuthPassword,
                    SnmpProtocolNames.Priv(u.PrivProtocol) ?? throw new InvalidOperationException($"Unknown privacy protocol '{u.PrivProtocol}' in Networking:Traps:Users"), u.PrivPassword))],
            });
            logger.LogInformation("Receiving SNMP traps on {EndPoint}", _listener.LocalEndPoint);
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_listener is null)
            return;
        try
        {
            await foreach (var trap in _listener.Traps.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(trap, stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or MassTransit.MassTransitException)
                {
                    logger.LogWarning(e, "Trap {Trap} from {Source} was not published", trap.TrapOid, trap.Source);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    async Task HandleAsync(ReceivedTrap trap, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var devices = (await connection.QueryAsync<DeviceRow>(new CommandDefinition(DeviceSql.ByAddress, new { Address = trap.Source.Address }, cancellationToken: cancellationToken))).AsList();
        if (devices.Count == 0)
        {
            logger.LogInformation("Trap {Trap} from {Source}, which is no known device: dropped", trap.TrapOid, trap.Source.Address);
            return;
        }
        foreach (var device in devices)
        {
            Guid? interfaceId = null;
            if (trap.InterfaceIndex is { } index)
            {
                var row = await connection.QuerySingleOrDefaultAsync<InterfaceRow>(new CommandDefinition(InterfaceSql.ByIndex,
                    new { device.TenantId, DeviceId = device.Id, IfIndex = index }, cancellationToken: cancellationToken));
                interfaceId = row?.Id;
            }
            await events.TrapReceivedAsync(new TrapReceived(device.TenantId, device.Id, trap.Source.Address.ToString(), trap.Version.ToString(),
                trap.TrapOid.ToString(), trap.InterfaceIndex, interfaceId, [.. trap.VarBinds.Select(v => v.ToString())], trap.ReceivedAt), cancellationToken);
        }
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        base.Dispose();
    }
}
