using DotMac.Testing;
using NUnit.Framework;

[SetUpFixture]
public sealed class PlatformTestsSetUp : TestInfrastructureSetUp;
