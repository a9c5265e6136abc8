using DotMac.Identity.Tests.Support;
using DotMac.Testing;
using NUnit.Framework;

[SetUpFixture]
public sealed class ServicesTestsSetUp : TestInfrastructureSetUp
{
    [OneTimeTearDown]
    public Task StopIdentity() => TrustedIdentity.StopAsync().AsTask();
}
