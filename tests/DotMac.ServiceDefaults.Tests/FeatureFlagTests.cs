using DotMac.Contracts.Platform;
using DotMac.ServiceDefaults.FeatureFlags;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace DotMac.ServiceDefaults.Tests;

[TestFixture]
public sealed class Feature_flag_rules
{
    static readonly Guid[] Tenants = [.. Enumerable.Range(0, 2000).Select(i => new Guid(i, 7, 7, [1, 2, 3, 4, 5, 6, 7, 8]))];

    static FeatureFlagDefinition Flag(bool defaultEnabled = false, int? rollout = null, Dictionary<Guid, bool>? overrides = null) =>
        new("usage-portal", 1, "x", defaultEnabled, rollout, overrides ?? []);

    [Test]
    public void Should_put_a_tenant_in_the_same_bucket_every_time()
    {
        var first = Tenants.Select(t => FeatureFlagRules.Bucket("usage-portal", t)).ToList();
        var again = Tenants.Select(t => FeatureFlagRules.Bucket("usage-portal", t)).ToList();

        Assert.That(again, Is.EqualTo(first));
        Assert.That(first, Is.All.InRange(0, 99));
    }

    [Test]
    public void Should_roll_out_to_about_the_percentage_and_keep_the_first_tenants_when_it_grows()
    {
        var at20 = Tenants.Where(t => Flag(rollout: 20).IsEnabledFor(t)).ToHashSet();
        var at50 = Tenants.Where(t => Flag(rollout: 50).IsEnabledFor(t)).ToHashSet();

        Assert.That(at20.Count / (double)Tenants.Length, Is.InRange(0.16, 0.24));
        Assert.That(at50.Count / (double)Tenants.Length, Is.InRange(0.45, 0.55));
        Assert.That(at50.IsSupersetOf(at20), "growing a rollout never turns a tenant off");
        Assert.That(Tenants.Any(t => Flag(rollout: 0).IsEnabledFor(t)), Is.False);
        Assert.That(Tenants.All(t => Flag(rollout: 100).IsEnabledFor(t)), Is.True);
    }

    [Test]
    public void Should_pick_other_tenants_for_another_flag()
    {
        var one = Tenants.Where(t => FeatureFlagRules.Bucket("a", t) < 20).ToHashSet();
        var other = Tenants.Where(t => FeatureFlagRules.Bucket("b", t) < 20).ToHashSet();

        Assert.That(one.SetEquals(other), Is.False);
    }

    [Test]
    public void Should_let_an_override_win_over_rollout_and_default()
    {
        var tenant = Tenants[0];
        var off = Flag(defaultEnabled: true, rollout: 100, overrides: new() { [tenant] = false });

        Assert.That(FeatureFlagRules.Evaluate(off, tenant), Is.EqualTo(new FeatureFlagDecision(false, "override")));
        Assert.That(FeatureFlagRules.Evaluate(off, Tenants[1]), Is.EqualTo(new FeatureFlagDecision(true, "rollout")));
        Assert.That(FeatureFlagRules.Evaluate(Flag(defaultEnabled: true), Tenants[1]), Is.EqualTo(new FeatureFlagDecision(true, "default")));
    }
}

[TestFixture]
public sealed class The_feature_flag_cache
{
    static readonly Guid TenantA = Guid.Parse("0190aa00-0000-7000-8000-00000000000a");
    static readonly Guid TenantB = Guid.Parse("0190aa00-0000-7000-8000-00000000000b");

    static FeatureFlagClient Client() => new(new NoClients(), new ConfigurationBuilder().Build(), TimeProvider.System, NullLogger<FeatureFlagClient>.Instance);

    static FeatureFlagChanged Changed(int version, bool defaultEnabled, bool deleted = false, params FeatureFlagOverride[] overrides) =>
        new("webhooks", version, deleted, "Webhooks", defaultEnabled, null, overrides, null, DateTimeOffset.UtcNow);

    [Test]
    public async Task Should_answer_the_callers_default_for_a_flag_it_does_not_know()
    {
        var flags = Client();

        Assert.That(await flags.IsEnabledAsync("webhooks", TenantA, whenUnknown: true), Is.True);
        Assert.That(await flags.IsEnabledAsync("webhooks", TenantA, whenUnknown: false), Is.False);
    }

    [Test]
    public async Task Should_apply_a_change_at_once_and_per_tenant()
    {
        var flags = Client();
        flags.Apply(Changed(3, true));
        Assert.That(await flags.IsEnabledAsync("webhooks", TenantA, whenUnknown: false), Is.True, "cached");

        flags.Apply(Changed(4, true, false, new FeatureFlagOverride(TenantA, false)));

        Assert.That(await flags.IsEnabledAsync("webhooks", TenantA, whenUnknown: true), Is.False, "the cached answer went with the change");
        Assert.That(await flags.IsEnabledAsync("webhooks", TenantB, whenUnknown: false), Is.True);
    }

    [Test]
    public async Task Should_ignore_a_change_older_than_what_it_holds()
    {
        var flags = Client();
        flags.Apply(Changed(5, false));

        flags.Apply(Changed(4, true)); // a snapshot read before the event, arriving after it

        Assert.That(await flags.IsEnabledAsync("webhooks", TenantA, whenUnknown: true), Is.False);
    }

    [Test]
    public async Task Should_forget_a_deleted_flag_and_not_bring_it_back_from_an_older_change()
    {
        var flags = Client();
        flags.Apply(Changed(5, false));
        flags.Apply(Changed(6, false, deleted: true));
        flags.Apply(Changed(5, false));

        Assert.That(await flags.IsEnabledAsync("webhooks", TenantA, whenUnknown: true), Is.True, "unknown again: the caller's default");
        flags.Apply(Changed(7, false));
        Assert.That(await flags.IsEnabledAsync("webhooks", TenantA, whenUnknown: true), Is.False, "re-created later");
    }

    [Test]
    public async Task Should_keep_a_flag_an_event_made_while_the_snapshot_was_on_its_way()
    {
        var flags = Client();
        flags.Apply(Changed(3, false));
        var held = flags.HeldVersions();

        flags.Apply(Changed(9, true)); // changed (or re-created) while the snapshot, read before, was travelling
        flags.ApplySnapshot([], held);

        Assert.That(await flags.IsEnabledAsync("webhooks", TenantA, whenUnknown: false), Is.True, "the newer event stands");
    }

    [Test]
    public async Task Should_forget_a_flag_the_snapshot_no_longer_lists_and_take_it_back_if_a_later_one_does()
    {
        var flags = Client();
        flags.Apply(Changed(3, false));

        flags.ApplySnapshot([], flags.HeldVersions());
        Assert.That(await flags.IsEnabledAsync("webhooks", TenantA, whenUnknown: true), Is.True, "deleted while no event came: unknown");

        flags.ApplySnapshot([Changed(3, false)], flags.HeldVersions());
        Assert.That(await flags.IsEnabledAsync("webhooks", TenantA, whenUnknown: true), Is.False, "listed again: known again");
    }

    sealed class NoClients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("no platform in a unit test");
    }
}
