using NUnit.Framework;

namespace DotMac.Testing;

/// <summary>
/// Derive one class per test assembly from this (outside any namespace) so the assembly lets go of the shared
/// servers when its tests are done.
/// </summary>
public abstract class TestInfrastructureSetUp
{
    [OneTimeTearDown]
    public Task ReleaseInfrastructure() => TestInfrastructure.ReleaseAsync();
}
