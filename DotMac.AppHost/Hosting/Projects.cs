using DotMac.AppHost.Hosting;

// The fleet's projects, named as Aspire's generated classes name them. Each needs a ProjectReference with
// FleetProject="true" in DotMac.AppHost.csproj.
namespace Projects;

public sealed class DotMac_Gateway : IProjectMetadata { public string ProjectName => "DotMac.Gateway"; }
public sealed class DotMac_Identity : IProjectMetadata { public string ProjectName => "DotMac.Identity"; }
public sealed class DotMac_Platform : IProjectMetadata { public string ProjectName => "DotMac.Platform"; }
public sealed class DotMac_Billing : IProjectMetadata { public string ProjectName => "DotMac.Billing"; }
public sealed class DotMac_Services : IProjectMetadata { public string ProjectName => "DotMac.Services"; }
public sealed class DotMac_Networking : IProjectMetadata { public string ProjectName => "DotMac.Networking"; }
public sealed class DotMac_Analytics : IProjectMetadata { public string ProjectName => "DotMac.Analytics"; }
public sealed class DotMac_Events : IProjectMetadata { public string ProjectName => "DotMac.Events"; }
public sealed class DotMac_Ops : IProjectMetadata { public string ProjectName => "DotMac.Ops"; }
public sealed class DotMac_Devtools : IProjectMetadata { public string ProjectName => "DotMac.Devtools"; }
