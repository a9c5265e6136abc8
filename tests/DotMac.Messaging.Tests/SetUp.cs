using DotMac.Testing;
using NUnit.Framework;

[SetUpFixture]
public sealed class MessagingTestsSetUp : TestInfrastructureSetUp;
