using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DotMac.Messaging.TestHost;
using DotMac.ServiceDefaults.Messaging;
using DotMac.Testing;
using MassTransit;
using MassTransit.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace DotMac.Messaging.Tests;

/// <summary>
/// Saga timeouts through the durable scheduler in ops (the real service, as a process), and the failure policy:
/// retries, scheduled redelivery, the _error queue, and replay from ops's API.
/// </summary>
[TestFixture]
public sealed class When_sagas_schedule_through_the_ops_scheduler
{
    Scenario _scenario = null!;
    LocalApp _app = null!;
    ServiceProcess _ops = null!;

    [OneTimeSetUp]
    public async Task StartServices()
    {
        _scenario = await Scenario.CreateAsync("scheduler");
        _ops = await _scenario.StartOpsAsync();
        _app = await _scenario.StartInProcessAsync(new Dictionary<string, string?> { ["DotMac:Messaging:ImmediateRetries"] = "1" });
    }

    [OneTimeTearDown]
    public async Task DisposeScenario() => await _scenario.DisposeAsync();

    [Test]
    public async Task Should_fire_a_timeout_scheduled_before_the_scheduler_was_killed()
    {
        var reminder = Guid.NewGuid();
        using (var response = await _app.Client.PostAsync($"/reminders/{reminder}?delayMilliseconds=4000", null))
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await Scenario.EventuallyAsync(async () => (await ScheduledAsync()).Contains(reminder.ToString()), TimeSpan.FromSeconds(15),
            () => Task.FromResult("the timeout stored by ops"));

        var port = _ops.Address.Port;
        await _ops.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(5)); // past due while the scheduler is dead
        Assert.That(await StateAsync(reminder), Is.EqualTo("Waiting"), "nothing can fire while ops is down");

        _ops = await _scenario.StartOpsAsync(port);
        await Scenario.EventuallyAsync(async () => await StateAsync(reminder) == "Fired", TimeSpan.FromSeconds(15),
            async () => $"state {await StateAsync(reminder)}");
        await Scenario.EventuallyAsync(async () => await EffectsAsync("reminder", reminder) == 1, TimeSpan.FromSeconds(10),
            () => Task.FromResult("the ReminderFired event the saga published"));
        await Task.Delay(500);
        Assert.That(await EffectsAsync("reminder", reminder), Is.EqualTo(1), "fired once");
    }

    [Test]
    public async Task Should_never_fire_a_cancelled_timeout()
    {
        var reminder = Guid.NewGuid();
        (await _app.Client.PostAsync($"/reminders/{reminder}?delayMilliseconds=1500", null)).Dispose();
        await Scenario.EventuallyAsync(async () => await StateAsync(reminder) == "Waiting", TimeSpan.FromSeconds(10), () => Task.FromResult("waiting"));
        (await _app.Client.PostAsync($"/reminders/{reminder}/cancel", null)).Dispose();
        await Scenario.EventuallyAsync(async () => await StateAsync(reminder) == "Withdrawn", TimeSpan.FromSeconds(10), () => Task.FromResult("withdrawn"));

        await Task.Delay(TimeSpan.FromSeconds(3)); // well past the due time
        Assert.That(await StateAsync(reminder), Is.EqualTo("Withdrawn"));
        Assert.That(await EffectsAsync("reminder", reminder), Is.Zero);
        Assert.That(await ScheduledAsync(), Does.Not.Contain(reminder.ToString()), "the schedule is gone from ops");
    }

    [Test]
    public async Task Should_fire_a_recurring_schedule_until_it_is_cancelled()
    {
        var widget = Guid.NewGuid();
        var schedule = new EverySecond($"widget-{widget:N}");
        var scheduler = await _app.App.Services.GetRequiredService<IBus>().GetSendEndpoint(MessagingExtensions.SchedulerAddress);
        await scheduler.ScheduleRecurringSend(new Uri("queue:testhost-widget-created"), schedule, new WidgetCreated(widget, Guid.Empty));

        await Scenario.EventuallyAsync(async () => await EffectsAsync("widget", widget) >= 3, TimeSpan.FromSeconds(15),
            async () => $"{await EffectsAsync("widget", widget)} firings");
        await scheduler.CancelScheduledRecurringSend(schedule.ScheduleId, schedule.ScheduleGroup);
        await Task.Delay(1500); // a firing already on its way may still land
        var afterCancel = await EffectsAsync("widget", widget);
        await Task.Delay(2500);
        Assert.That(await EffectsAsync("widget", widget), Is.EqualTo(afterCancel), "no firing after the cancellation");
    }

    sealed class EverySecond(string id) : RecurringSchedule
    {
        public string TimeZoneId => "UTC";
        public DateTimeOffset StartTime => DateTimeOffset.UtcNow;
        public DateTimeOffset? EndTime => null;
        public string ScheduleId => id;
        public string ScheduleGroup => "tests";
        public string CronExpression => "* * * * * ?";
        public string Description => "every second, for a test";
        public MissedEventPolicy MisfirePolicy => MissedEventPolicy.Default;
    }

    [Test]
    public async Task Should_dead_letter_a_poison_message_and_replay_it_from_the_ops_api()
    {
        var pill = Guid.NewGuid();
        (await _app.Client.PostAsync($"/poison/{pill}", null)).Dispose();

        var letter = await DeadLetterOfAsync(pill);
        Assert.That(letter.GetProperty("inputQueue").GetString(), Is.EqualTo("testhost-poison-pill"));
        Assert.That(letter.GetProperty("messageTypes").EnumerateArray().Select(t => t.GetString()), Has.Some.Contains("PoisonPill"));
        Assert.That(letter.GetProperty("exceptionType").GetString(), Is.EqualTo("System.InvalidOperationException"));
        Assert.That(letter.GetProperty("exception").GetString(), Does.Contain(pill.ToString()));
        var id = letter.GetProperty("id").GetGuid();
        var detail = await OpsJsonAsync($"/api/v1/dead-letters/{id}");
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(detail.GetProperty("headers").GetString()!)!;
        Assert.That(headers["MT-Redelivery-Count"], Is.EqualTo("1"), "one scheduled redelivery happened before it was dead-lettered");
        Assert.That(await EffectsAsync("poison", pill), Is.Zero);

        await using (var connection = await _scenario.DataSource.OpenConnectionAsync())
        await using (var cure = new Npgsql.NpgsqlCommand("insert into cures (id) values (@id)", connection))
        {
            cure.Parameters.AddWithValue("id", pill);
            await cure.ExecuteNonQueryAsync();
        }
        using (var replay = await _ops.Client.PostAsync($"/api/v1/dead-letters/{id}/replay", null))
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.OK), await replay.Content.ReadAsStringAsync());
        await Scenario.EventuallyAsync(async () => await EffectsAsync("poison", pill) == 1, TimeSpan.FromSeconds(15),
            () => Task.FromResult("the replayed pill consumed"));

        using var again = await _ops.Client.PostAsync($"/api/v1/dead-letters/{id}/replay", null);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a replayed letter cannot be replayed again");
    }

    [Test]
    public async Task Should_discard_a_dead_letter_and_answer_problems_for_bad_requests()
    {
        var pill = Guid.NewGuid();
        (await _app.Client.PostAsync($"/poison/{pill}", null)).Dispose();
        var id = (await DeadLetterOfAsync(pill)).GetProperty("id").GetGuid();

        using (var discard = await _ops.Client.DeleteAsync($"/api/v1/dead-letters/{id}"))
            Assert.That(discard.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var after = await OpsJsonAsync($"/api/v1/dead-letters/{id}");
        Assert.That(after.GetProperty("status").GetString(), Is.EqualTo("discarded"));

        using var missing = await _ops.Client.GetAsync($"/api/v1/dead-letters/{Guid.NewGuid()}");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missing.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using var badLimit = await _ops.Client.GetAsync("/api/v1/dead-letters?limit=0");
        Assert.That(badLimit.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        using var badId = await _ops.Client.DeleteAsync("/api/v1/dead-letters/not-a-uuid");
        Assert.That(badId.StatusCode, Is.EqualTo(HttpStatusCode.NotFound).Or.EqualTo(HttpStatusCode.BadRequest));
    }

    /// <summary>The dead letter of one pill, once ops has collected it (its exception names the pill).</summary>
    async Task<JsonElement> DeadLetterOfAsync(Guid pill)
    {
        JsonElement letter = default;
        await Scenario.EventuallyAsync(async () =>
        {
            var page = await OpsJsonAsync("/api/v1/dead-letters?queue=testhost-poison-pill_error&limit=200");
            letter = page.GetProperty("items").EnumerateArray()
                .FirstOrDefault(l => l.GetProperty("exception").GetString()?.Contains(pill.ToString(), StringComparison.Ordinal) == true);
            return letter.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromSeconds(30), async () =>
        {
            using var collect = await _ops.Client.PostAsync("/api/v1/dead-letters/collect", null);
            var rabbit = await TestInfrastructure.RabbitMqAsync();
            var management = new Uri(rabbit.ManagementUri);
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
            var vhost = Uri.UnescapeDataString(new Uri(_scenario.Messaging).AbsolutePath.TrimStart('/'));
            var queues = await http.GetStringAsync(new Uri(management, $"api/queues/{Uri.EscapeDataString(vhost)}?columns=name,messages"));
            return $"pill {pill} in ops's dead letters; collect now: {(int)collect.StatusCode} {await collect.Content.ReadAsStringAsync()}\nqueues: {queues}\noutbox {await _scenario.ScalarAsync<long>("select count(*) from messaging.outbox_message")}, inbox {await _scenario.ScalarAsync<long>("select count(*) from messaging.inbox_state")}, scheduled: {(await OpsJsonAsync("/api/v1/scheduled-messages")).GetRawText()}\n{_ops.Tail()}";
        });
        return letter;
    }

    async Task<JsonElement> OpsJsonAsync(string path)
    {
        using var response = await _ops.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            Assert.Fail($"GET {path} answered {(int)response.StatusCode}: {body}\n{_ops.Tail()}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    async Task<string> ScheduledAsync() => (await OpsJsonAsync("/api/v1/scheduled-messages?limit=200")).GetRawText() + await TokensAsync();

    // The scheduler lists tokens, not reminders: map this scenario's pending saga tokens back to reminder ids.
    async Task<string> TokensAsync()
    {
        var scheduled = await OpsJsonAsync("/api/v1/scheduled-messages?limit=200");
        var tokens = scheduled.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("tokenId").GetGuid()).ToArray();
        await using var connection = await _scenario.DataSource.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "select coalesce(string_agg(correlation_id::text, ','), '') from messaging.saga_instance where (data->>'dueTokenId')::uuid = any(@tokens)", connection);
        command.Parameters.AddWithValue("tokens", tokens);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    Task<string> StateAsync(Guid reminder) => _scenario.ScalarAsync<string>(
        "select coalesce((select current_state from messaging.saga_instance where correlation_id = @reminder), '')", new { reminder });

    Task<long> EffectsAsync(string kind, Guid subject) =>
        _scenario.ScalarAsync<long>("select count(*) from effects where kind = @kind and subject = @subject", new { kind, subject });
}
