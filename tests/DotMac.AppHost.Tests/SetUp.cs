using DotMac.AppHost.Tests;
using DotMac.Testing;
using NUnit.Framework;

[SetUpFixture]
public sealed class AppHostTestsSetUp : TestInfrastructureSetUp
{
    [OneTimeTearDown]
    public void StopSharedFleet() => SharedFleet.Stop();
}
