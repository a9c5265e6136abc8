using DotMac.Messaging.TestHost;

TestHostApp.Build(WebApplication.CreateBuilder(args)).Run();
