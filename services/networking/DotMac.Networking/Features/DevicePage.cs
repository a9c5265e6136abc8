namespace DotMac.Networking.Features;

/// <summary>One page of the device list.</summary>
public sealed record DevicePage(IReadOnlyList<DeviceResponse> Items, long Total, int Limit, int Offset);
