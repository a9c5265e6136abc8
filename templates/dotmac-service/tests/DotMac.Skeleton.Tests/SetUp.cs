using DotMac.Skeleton.Tests;
using DotMac.Testing;
using NUnit.Framework;

[SetUpFixture]
public sealed class SkeletonTestsSetUp : TestInfrastructureSetUp
{
    [OneTimeTearDown]
    public Task StopFleet() => TestFleet.StopAsync().AsTask();
}
