using DotMac.Networking.Tests;
using DotMac.Testing;
using NUnit.Framework;

[SetUpFixture]
public sealed class NetworkingTestsSetUp : TestInfrastructureSetUp
{
    [OneTimeTearDown]
    public Task StopIdentity() => NetworkingHost.StopIdentityAsync().AsTask();
}
