using System.Text.Json.Nodes;
using DotMac.Gateway.Docs;
using NUnit.Framework;

namespace DotMac.Gateway.Tests;

[TestFixture]
public sealed class A_published_openapi_document
{
    const string ServiceDocument = """
        {
          "openapi": "3.0.4",
          "servers": [{ "url": "http://127.0.0.1:5103" }],
          "paths": {
            "/api/v1/plans": { "get": {} },
            "/api/v1/plans/{id}": { "get": {} },
            "/.well-known/jwks.json": { "get": {} }
          },
          "components": { "securitySchemes": { "clientCredentials": { "type": "oauth2",
            "flows": { "clientCredentials": { "tokenUrl": "/api/v1/identity/auth/token", "scopes": {} } } } } }
        }
        """;

    [Test]
    public void Should_have_the_gateways_public_paths_and_server()
    {
        var published = JsonNode.Parse(PublishedDocuments.Publish(ServiceDocument, "services", "v1", new Uri("https://api.isp.example")))!;

        Assert.That(published["paths"]!.AsObject().Select(p => p.Key),
            Is.EquivalentTo(new[] { "/api/v1/services/plans", "/api/v1/services/plans/{id}", "/.well-known/jwks.json" }));
        Assert.That(published["servers"]![0]!["url"]!.GetValue<string>(), Is.EqualTo("https://api.isp.example"));
        Assert.That(published["components"]!["securitySchemes"]!["clientCredentials"]!["flows"]!["clientCredentials"]!["tokenUrl"]!.GetValue<string>(),
            Is.EqualTo("https://api.isp.example/api/v1/identity/auth/token"));
    }
}
