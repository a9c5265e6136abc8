using System.Net;
using DotMac.Networking.Data;
using DotMac.Networking.Security;
using DotMac.Networking.Snmp;

namespace DotMac.Networking.Polling;

/// <summary>Turns a device row and its decrypted credentials into an SNMP target with the per-device time budget.</summary>
internal static class DeviceTargets
{
    public static SnmpTarget For(DeviceRow device, byte[] credentials, CredentialProtector protector, PollingOptions options)
    {
        var target = protector.Unprotect(credentials, device.TenantId, device.Id)
            .ToTarget(new IPEndPoint(device.ManagementAddress, device.SnmpPort), device.SnmpVersion);
        var attempts = Math.Max(0, options.Retries) + 1;
        return target with { Timeout = options.DeviceTimeout / attempts, Retries = options.Retries };
    }
}
