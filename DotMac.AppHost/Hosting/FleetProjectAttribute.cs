namespace DotMac.AppHost.Hosting;

/// <summary>
/// Written into the AppHost's assembly by the build (see DotMac.AppHost.csproj) for every project it references:
/// its name, project file and built assembly, so one build covers the whole fleet and the AppHost runs the outputs.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class FleetProjectAttribute(string projectName, string projectPath, string assemblyPath) : Attribute
{
    public string ProjectName { get; } = projectName;
    public string ProjectPath { get; } = projectPath;
    public string AssemblyPath { get; } = assemblyPath;

    public static IReadOnlyList<FleetProjectAttribute> All() =>
        typeof(FleetProjectAttribute).Assembly.GetCustomAttributes(typeof(FleetProjectAttribute), false).Cast<FleetProjectAttribute>().ToList();
}

/// <summary>Names a fleet project, as Aspire's generated Projects.* classes do.</summary>
public interface IProjectMetadata
{
    string ProjectName { get; }
}
