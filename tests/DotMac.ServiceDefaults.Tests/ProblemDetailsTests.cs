using System.Net;
using System.Text;
using System.Text.Json;
using DotMac.ServiceDefaults.Problems;
using DotMac.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace DotMac.ServiceDefaults.Tests;

[TestFixture]
public sealed class When_a_request_goes_wrong
{
    public sealed record Widget(string Name, int Count);

    LocalApp _app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var builder = LocalApp.CreateBuilder(new Dictionary<string, string?> { ["DotMac:Http:MaxRequestBodyBytes"] = "1024" });
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/widgets/{id}", (Guid id) => id == Guid.Empty ? Results.Ok() : throw new NotFoundException("Widget", id));
        app.MapPost("/widgets", (Widget widget) => widget.Count < 0
            ? throw new ValidationFailedException("count", "must not be negative")
            : Results.Created($"/widgets/{Guid.NewGuid()}", widget));
        app.MapPut("/widgets/{id}", (Guid id) => id == Guid.Empty ? Results.NoContent() : throw new ConflictException("The widget was changed by someone else.", "widget.version_conflict"));
        app.MapGet("/boom", string () => throw new InvalidOperationException("connection string with password=hunter2"));
        _app = await LocalApp.StartAsync(app);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _app.DisposeAsync();

    [Test]
    public async Task Should_answer_404_with_the_resource_and_a_code()
    {
        var (status, problem) = await SendAsync(HttpMethod.Get, $"/widgets/{Guid.NewGuid()}");

        Assert.That(status, Is.EqualTo(404));
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("widget.not_found"));
        Assert.That(problem.GetProperty("traceId").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Should_answer_400_for_malformed_json()
    {
        var (status, problem) = await SendAsync(HttpMethod.Post, "/widgets", """{"name": "a", "count": """);

        Assert.That(status, Is.EqualTo(400));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("widget"));
    }

    [TestCase("""{"name": "a"}""", TestName = "Should_answer_400_for_a_missing_field")]
    [TestCase("""{"name": "a", "count": "7"}""", TestName = "Should_answer_400_for_a_number_sent_as_a_string")]
    [TestCase("""{"name": "a", "count": 1, "colour": "red"}""", TestName = "Should_answer_400_for_an_unknown_field")]
    public async Task Should_answer_400_for_json_that_does_not_fit(string body)
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "/widgets", body);

        Assert.That(status, Is.EqualTo(400));
    }

    [Test]
    public async Task Should_answer_400_for_a_bad_uuid()
    {
        var (status, problem) = await SendAsync(HttpMethod.Get, "/widgets/not-a-uuid");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("id"));
    }

    [Test]
    public async Task Should_answer_413_for_an_oversized_body()
    {
        var body = $$"""{"name": "{{new string('x', 4096)}}", "count": 1}""";

        var (status, _) = await SendAsync(HttpMethod.Post, "/widgets", body);

        Assert.That(status, Is.EqualTo(413));
    }

    [Test]
    public async Task Should_answer_422_with_the_fields_that_failed()
    {
        var (status, problem) = await SendAsync(HttpMethod.Post, "/widgets", """{"name": "a", "count": -1}""");

        Assert.That(status, Is.EqualTo(422));
        Assert.That(problem.GetProperty("errors").GetProperty("count")[0].GetString(), Is.EqualTo("must not be negative"));
    }

    [Test]
    public async Task Should_answer_409_for_a_conflict()
    {
        var (status, problem) = await SendAsync(HttpMethod.Put, $"/widgets/{Guid.NewGuid()}");

        Assert.That(status, Is.EqualTo(409));
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("widget.version_conflict"));
    }

    [Test]
    public async Task Should_hide_the_details_of_an_unexpected_error()
    {
        var (status, problem) = await SendAsync(HttpMethod.Get, "/boom");

        Assert.That(status, Is.EqualTo(500));
        Assert.That(problem.ToString(), Does.Not.Contain("hunter2").And.Not.Contain("InvalidOperationException"));
        Assert.That(problem.GetProperty("traceId").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Should_answer_an_unknown_route_with_problem_details()
    {
        var (status, problem) = await SendAsync(HttpMethod.Get, "/no/such/route");

        Assert.That(status, Is.EqualTo(404));
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(404));
    }

    [Test]
    public async Task Should_keep_the_callers_request_id_and_make_one_when_absent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/widgets/{Guid.Empty}");
        request.Headers.Add("X-Request-Id", "caller-123");
        using var withId = await _app.Client.SendAsync(request);
        using var withoutId = await _app.Client.GetAsync($"/widgets/{Guid.Empty}");

        Assert.That(withId.Headers.GetValues("X-Request-Id"), Is.EqualTo(new[] { "caller-123" }));
        Assert.That(withoutId.Headers.GetValues("X-Request-Id").Single(), Has.Length.EqualTo(32));
    }

    async Task<(int Status, JsonElement Problem)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _app.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        return ((int)response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }
}
