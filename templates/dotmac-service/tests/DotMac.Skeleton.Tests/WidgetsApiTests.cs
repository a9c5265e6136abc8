using DotMac.Identity.Tests.Support;
using NUnit.Framework;

namespace DotMac.Skeleton.Tests;

[TestFixture]
public sealed class When_a_tenant_manages_its_widgets
{
    SkeletonService _service = null!;

    [OneTimeSetUp]
    public async Task Start() => _service = await SkeletonService.StartAsync("skeleton_widgets");

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    static Dictionary<string, string> Key(string key) => new() { ["Idempotency-Key"] = key };

    async Task<Api.Reply> CreateAsync(string token, object body, string? key = null) =>
        await _service.Client.PostJsonAsync("/api/v1/widgets", body, token, Key(key ?? Guid.NewGuid().ToString()));

    [Test]
    public async Task Should_read_back_what_it_created()
    {
        var token = await SkeletonService.TokenAsync(Guid.NewGuid());

        var created = await CreateAsync(token, new { code = "first", name = "  The first  " });

        Assert.That(created.Code, Is.EqualTo(201), created.Body.ToString());
        var id = created.Get("id");
        Assert.That(created.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/widgets/{id}"));
        var read = await _service.Client.GetJsonAsync($"/api/v1/widgets/{id}", token);
        Assert.That(read.Code, Is.EqualTo(200), read.Body.ToString());
        Assert.That(read.Get("code"), Is.EqualTo("first"));
        Assert.That(read.Get("name"), Is.EqualTo("The first"));
    }

    [Test]
    public async Task Should_list_only_the_callers_widgets_a_page_at_a_time()
    {
        var token = await SkeletonService.TokenAsync(Guid.NewGuid());
        var other = await SkeletonService.TokenAsync(Guid.NewGuid());
        foreach (var code in new[] { "a", "b", "c" })
            Assert.That((await CreateAsync(token, new { code, name = code })).Code, Is.EqualTo(201));
        Assert.That((await CreateAsync(other, new { code = "a", name = "another tenant's a" })).Code, Is.EqualTo(201));

        var page = await _service.Client.GetJsonAsync("/api/v1/widgets?limit=2&offset=1", token);

        Assert.That(page.Code, Is.EqualTo(200), page.Body.ToString());
        Assert.That(page.Body.GetProperty("total").GetInt64(), Is.EqualTo(3));
        Assert.That(page.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()), Is.EqualTo(new[] { "b", "c" }));
        Assert.That((await _service.Client.GetJsonAsync("/api/v1/widgets?limit=0", token)).Code, Is.EqualTo(422));
    }

    [Test]
    public async Task Should_answer_a_repeated_create_with_the_first_result()
    {
        var token = await SkeletonService.TokenAsync(Guid.NewGuid());
        var key = Guid.NewGuid().ToString();

        var first = await CreateAsync(token, new { code = "once", name = "Once" }, key);
        var again = await CreateAsync(token, new { code = "once", name = "Once" }, key);
        var misused = await CreateAsync(token, new { code = "other", name = "Other" }, key);
        var taken = await CreateAsync(token, new { code = "once", name = "Once more" });

        Assert.That(first.Code, Is.EqualTo(201), first.Body.ToString());
        Assert.That(again.Code, Is.EqualTo(200), again.Body.ToString());
        Assert.That(again.Get("id"), Is.EqualTo(first.Get("id")));
        Assert.That(misused.Code, Is.EqualTo(422), misused.Body.ToString());
        Assert.That(taken.Code, Is.EqualTo(409), taken.Body.ToString());
        Assert.That(taken.Get("code"), Is.EqualTo("widget.code_taken"));
    }

    [Test]
    public async Task Should_refuse_bad_input_with_a_problem()
    {
        var token = await SkeletonService.TokenAsync(Guid.NewGuid());

        var invalid = await CreateAsync(token, new { code = "Not A Code", name = "" });
        var malformed = await CreateAsync(token, "{\"code\": ");
        var unknownField = await CreateAsync(token, new { code = "x", name = "x", colour = "red" });
        var noKey = await _service.Client.PostJsonAsync("/api/v1/widgets", new { code = "x", name = "x" }, token);

        Assert.That(invalid.Code, Is.EqualTo(422), invalid.Body.ToString());
        var errors = invalid.Body.GetProperty("errors");
        Assert.That(errors.TryGetProperty("code", out _) && errors.TryGetProperty("name", out _), Is.True, errors.ToString());
        Assert.That(malformed.Code, Is.EqualTo(400), malformed.Body.ToString());
        Assert.That(unknownField.Code, Is.EqualTo(400), unknownField.Body.ToString());
        Assert.That(noKey.Code, Is.EqualTo(400), noKey.Body.ToString());
        Assert.That(noKey.Get("code"), Is.EqualTo("idempotency_key.required"));
        Assert.That((await _service.ScalarAsync<long>("select count(*) from widgets where code = 'x'")), Is.Zero);
    }

    [Test]
    public async Task Should_not_show_one_tenants_widget_to_another()
    {
        var owner = await SkeletonService.TokenAsync(Guid.NewGuid());
        var outsider = Guid.NewGuid();
        var outsiderToken = await SkeletonService.TokenAsync(outsider);
        var id = (await CreateAsync(owner, new { code = "private", name = "Private" })).Get("id");

        var read = await _service.Client.GetJsonAsync($"/api/v1/widgets/{id}", outsiderToken);
        var listed = await _service.Client.GetJsonAsync("/api/v1/widgets", outsiderToken);

        Assert.That(read.Code, Is.EqualTo(404), read.Body.ToString());
        Assert.That(listed.Body.GetProperty("total").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task Should_forbid_acting_for_another_tenant_or_without_the_permission()
    {
        var token = await SkeletonService.TokenAsync(Guid.NewGuid());
        var readOnly = await SkeletonService.TokenAsync(Guid.NewGuid(), "skeleton:read:tenant");

        var otherTenant = await _service.Client.GetJsonAsync("/api/v1/widgets", token, Api.Tenant(Guid.NewGuid()));
        var write = await CreateAsync(readOnly, new { code = "nope", name = "Nope" });

        Assert.That(otherTenant.Code, Is.EqualTo(403), otherTenant.Body.ToString());
        Assert.That(write.Code, Is.EqualTo(403), write.Body.ToString());
    }
}
