using DotMac.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http;

namespace DotMac.Networking.Features;

/// <summary>The device did not answer SNMP in time or refused our credentials: 504 with the engine's reason.</summary>
public sealed class DeviceUnreachableException(string detail)
    : DomainException("Device unreachable", detail, StatusCodes.Status504GatewayTimeout, "device.unreachable");
