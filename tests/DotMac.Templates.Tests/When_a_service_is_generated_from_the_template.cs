using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace DotMac.Templates.Tests;

/// <summary>
/// `dotnet new dotmac-service` end to end: the pack installs into a private template hive (the user's own templates
/// are not touched), generates a service and its tests under tests/.template-output/&lt;guid&gt; (git-ignored, inside the
/// repository so its Directory.Build.props and Directory.Packages.props apply), and what it generates builds without
/// a warning and passes its own tests against real PostgreSQL, RabbitMQ and identity.
/// </summary>
[TestFixture]
public sealed partial class When_a_service_is_generated_from_the_template
{
    static readonly TimeSpan Quick = TimeSpan.FromMinutes(2);
    static readonly TimeSpan Long = TimeSpan.FromMinutes(8);

    string _repo = null!;
    string _hive = null!;
    string _output = null!;
    string _configuration = null!;
    bool _built;

    string Service => Path.Combine(_output, "services", "inventory", "DotMac.Inventory");
    string Tests => Path.Combine(_output, "tests", "DotMac.Inventory.Tests");

    [OneTimeSetUp]
    public async Task Generate()
    {
        _repo = RepositoryRoot();
        _configuration = typeof(When_a_service_is_generated_from_the_template).Assembly
            .GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        _hive = Path.Combine(Path.GetTempPath(), $"dotmac-template-hive-{Guid.NewGuid():N}");
        _output = Path.Combine(_repo, "tests", ".template-output", Guid.NewGuid().ToString("N"));

        var install = await DotNetCli.RunAsync(_repo, Quick, "new", "install", Path.Combine(_repo, "templates", "dotmac-service"), "--debug:custom-hive", _hive);
        Assert.That(install.ExitCode, Is.Zero, install.ToString());
        var generated = await NewAsync(_output, "-n", "Inventory");
        Assert.That(generated.ExitCode, Is.Zero, generated.ToString());
        PlaceLikeTheRepository(_output);
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        foreach (var folder in new[] { _output, _hive })
        {
            if (folder is not null && Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        var parent = Path.Combine(_repo, "tests", ".template-output");
        if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
            Directory.Delete(parent);
    }

    Task<DotNetCli.Result> NewAsync(string output, params string[] arguments) =>
        DotNetCli.RunAsync(_repo, Quick, ["new", "dotmac-service", .. arguments, "-o", output, "--debug:custom-hive", _hive]);

    /// <summary>
    /// Generated at the root, the service lands in services/ and its tests in tests/, under those folders'
    /// Directory.Build.props. Here the same two props are imported one level down, so the generated projects build
    /// exactly as they would in place.
    /// </summary>
    void PlaceLikeTheRepository(string output)
    {
        foreach (var folder in new[] { "services", "tests" })
        {
            File.WriteAllText(Path.Combine(output, folder, "Directory.Build.props"), $"""
                <Project>
                  <Import Project="{Path.Combine(_repo, folder, "Directory.Build.props")}" />
                </Project>
                """);
        }
    }

    [Test, Order(1)]
    public void Should_name_every_folder_file_and_identifier_after_the_service()
    {
        foreach (var file in new[]
                 {
                     "DotMac.Inventory.csproj", "Program.cs", "Extensions/Extensions.cs", "Apis/ItemsApi.cs", "Features/CreateItem.cs",
                     "Features/Item.cs", "Data/ItemsSql.cs", "Data/ItemRow.cs", "Data/TenantsSql.cs", "Data/Migrations/0001_inventory.sql",
                     "Consumers/TenantCreatedConsumer.cs", "appsettings.json", "README.md",
                 })
            Assert.That(File.Exists(Path.Combine(Service, file)), Is.True, file);
        Assert.That(File.Exists(Path.Combine(Tests, "DotMac.Inventory.Tests.csproj")), Is.True);

        var extensions = File.ReadAllText(Path.Combine(Service, "Extensions", "Extensions.cs"));
        Assert.That(extensions, Does.Contain("namespace DotMac.Inventory.Extensions;"));
        Assert.That(extensions, Does.Contain("\"inventory-db\""));
        Assert.That(extensions, Does.Contain("AddConsumer<TenantCreatedConsumer>()"));
        var api = File.ReadAllText(Path.Combine(Service, "Apis", "ItemsApi.cs"));
        Assert.That(api, Does.Contain("MapGroup(\"/api/v1/items\")"));
        Assert.That(api, Does.Contain("const string Resource = \"inventory\";"));
        Assert.That(File.ReadAllText(Path.Combine(Service, "Data", "Migrations", "0001_inventory.sql")), Does.Contain("create table items ("));
        var readme = File.ReadAllText(Path.Combine(Service, "README.md"));
        Assert.That(readme, Does.Contain("Service<Projects.DotMac_Inventory>(\"inventory\", 5110)"));
        Assert.That(readme, Does.Contain("services__inventory__http__0"));
        Assert.That(readme, Does.Contain("'inventory', 'read', 'tenant'"));

        var leftovers = Directory.EnumerateFiles(_output, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("Directory.Build.props", StringComparison.Ordinal))
            .Where(f => Placeholder().IsMatch(f[_output.Length..]) || Placeholder().IsMatch(File.ReadAllText(f)))
            .ToList();
        Assert.That(leftovers, Is.Empty, "no template placeholder survives");
    }

    [Test, Order(2)]
    public async Task Should_take_the_resource_and_its_plural_as_options()
    {
        var output = Path.Combine(_output, "options");
        var generated = await NewAsync(output, "-n", "Stores", "--thing", "Battery", "--plural", "Batteries", "--port", "5123");

        Assert.That(generated.ExitCode, Is.Zero, generated.ToString());
        var service = Path.Combine(output, "services", "stores", "DotMac.Stores");
        Assert.That(File.Exists(Path.Combine(service, "Apis", "BatteriesApi.cs")), Is.True);
        Assert.That(File.Exists(Path.Combine(service, "Features", "CreateBattery.cs")), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(service, "Apis", "BatteriesApi.cs")), Does.Contain("MapGroup(\"/api/v1/batteries\")"));
        Assert.That(File.ReadAllText(Path.Combine(service, "README.md")), Does.Contain("(\"stores\", 5123)"));
        Directory.Delete(output, recursive: true);
    }

    [Test, Order(3)]
    public async Task Should_build_without_a_warning()
    {
        // The service, then its tests; what they reference of the repository is built already (see the csproj).
        foreach (var project in new[] { Service, Tests })
        {
            var build = await DotNetCli.RunAsync(_repo, Long, "build", project, "-c", _configuration, "--no-dependencies",
                "-tl:off", "-clp:Summary", "-nodeReuse:false", "--disable-build-servers");

            Assert.That(build.ExitCode, Is.Zero, build.ToString());
            Assert.That(build.Output, Does.Contain(" 0 Warning(s)"), build.ToString());
            Assert.That(build.Output, Does.Contain(" 0 Error(s)"), build.ToString());
        }
        _built = true;
    }

    [Test, Order(4)]
    public async Task Should_pass_its_own_tests()
    {
        Assert.That(_built, Is.True, "the generated projects did not build (Should_build_without_a_warning says why)");
        var test = await DotNetCli.RunAsync(_repo, Long, "test", Tests, "-c", _configuration, "--no-build");
        TestContext.Progress.WriteLine(test.Output);

        Assert.That(test.ExitCode, Is.Zero, test.ToString());
        var total = TotalTests().Match(test.Output);
        Assert.That(total.Success, Is.True, test.ToString());
        Assert.That(int.Parse(total.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(9), "every generated test ran");
        Assert.That(test.Output, Does.Contain("Test Run Successful."));
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DotMac.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No DotMac.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("skeleton|widget", RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"Total tests: (\d+)")]
    private static partial Regex TotalTests();
}
