using DotMac.Testing;
using NUnit.Framework;

[SetUpFixture]
public sealed class IdentityTestsSetUp : TestInfrastructureSetUp;
