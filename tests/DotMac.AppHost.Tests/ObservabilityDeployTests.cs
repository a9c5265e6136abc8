using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DotMac.AppHost.Infrastructure;
using DotMac.Testing;
using NUnit.Framework;

namespace DotMac.AppHost.Tests;

/// <summary>
/// deploy/observability as an SRE gets it: the Prometheus config and alerting rules pass promtool (checked, and
/// unit-tested firing and not firing), every Grafana dashboard validates against Grafana's own published schema
/// (@grafana/schema, through tests/spec-tools), every panel is wired to the Prometheus data source variable, every
/// alert has a runbook, and every metric a query names is one the fleet exports through the collector.
/// promtool comes from Debian's prometheus package, installed when missing.
/// </summary>
[TestFixture]
public sealed class ObservabilityDeployTests
{
    static readonly string[] Services = ["identity", "billing", "services", "networking", "analytics", "events", "ops", "platform", "devtools", "gateway"];

    [OneTimeSetUp]
    public Task InstallPromtool() => File.Exists(Promtool)
        ? Task.CompletedTask
        : PackageInstaller.InstallAsync("Prometheus's promtool", ["prometheus"], () => File.Exists(Promtool), TestInfrastructure.StateDirectory,
            TestInfrastructure.Loggers.CreateLogger("promtool"), CancellationToken.None);

    const string Promtool = "/usr/bin/promtool";

    static async Task<ShellResult> PromtoolAsync(params string[] arguments)
    {
        var result = await Shell.RunAsync(Promtool, arguments, TimeSpan.FromMinutes(2));
        TestContext.Progress.WriteLine($"promtool {string.Join(' ', arguments)}: {result.Output.Trim()} {result.Error.Trim()}");
        return result;
    }

    static string Both(ShellResult result) => $"{result.Output}\n{result.Error}".Trim();

    // ---- Prometheus: config and rules -------------------------------------------------------------------------

    [Test]
    public async Task The_alerting_rules_pass_promtool_check_rules()
    {
        var result = await PromtoolAsync("check", "rules", ObservabilityDeploy.RulesFile);
        Assert.That(result.ExitCode, Is.EqualTo(0), Both(result));
        // The line-based reader behind ReferencedMetrics() must see every rule promtool sees.
        Assert.That(result.Output, Does.Contain($"SUCCESS: {ObservabilityDeploy.AlertRules().Count} rules found"), Both(result));
    }

    [Test]
    public async Task The_alerting_rules_pass_their_promtool_unit_tests()
    {
        var result = await PromtoolAsync("test", "rules", ObservabilityDeploy.RulesTestFile);
        Assert.That(result.ExitCode, Is.EqualTo(0), Both(result));
        Assert.That(result.Output, Does.Contain("SUCCESS"), Both(result));
    }

    [Test]
    public async Task The_Prometheus_config_passes_promtool_check_config()
    {
        var result = await PromtoolAsync("check", "config", Path.Combine(ObservabilityDeploy.Folder, "prometheus.yaml"));
        Assert.That(result.ExitCode, Is.EqualTo(0), Both(result));
        Assert.That(result.Output, Does.Contain("1 rule files found"), Both(result));
    }

    [Test]
    public void Every_alert_is_unit_tested_both_firing_and_not_firing()
    {
        var cases = ObservabilityDeploy.AlertTestCases();
        Assert.Multiple(() =>
        {
            foreach (var rule in ObservabilityDeploy.AlertRules())
            {
                Assert.That(cases.Any(c => c.Alert == rule.Name && c.Fires), $"{rule.Name} has no test where it fires");
                Assert.That(cases.Any(c => c.Alert == rule.Name && !c.Fires), $"{rule.Name} has no test where it stays quiet");
            }
        });
    }

    [Test]
    public void Every_alert_has_a_severity_a_summary_a_description_and_a_runbook_that_exists()
    {
        var rules = ObservabilityDeploy.AlertRules();
        Assert.That(rules.Select(r => r.Name), Is.Unique);
        Assert.That(rules.Select(r => r.Name), Is.SupersetOf(new[]
        {
            "ServiceDown", "HighErrorRate", "HighLatencyP99", "OutboxOldestUndeliveredAge", "OutboxLagHigh", "DeadLettersGrowing",
            "SchedulerBacklog", "DevicesDown", "SigningKeyRotationOverdue", "RefreshTokenReuse",
        }));
        Assert.Multiple(() =>
        {
            foreach (var rule in rules)
            {
                Assert.That(rule.Labels.GetValueOrDefault("severity"), Is.AnyOf("critical", "warning", "info"), $"{rule.Name} severity");
                Assert.That(rule.Annotations.GetValueOrDefault("summary"), Is.Not.Null.And.Not.Empty, $"{rule.Name} summary");
                Assert.That(rule.Annotations.GetValueOrDefault("description"), Is.Not.Null.And.Not.Empty, $"{rule.Name} description");
                var runbook = $"deploy/runbooks/{ObservabilityDeploy.Kebab(rule.Name)}.md";
                Assert.That(rule.Annotations.GetValueOrDefault("runbook_url"), Is.EqualTo(runbook), $"{rule.Name} runbook_url");
                var page = Path.Combine(ObservabilityDeploy.Root, runbook);
                Assert.That(File.Exists(page), Is.True, $"{runbook} is missing");
                if (!File.Exists(page))
                    continue;
                var text = File.ReadAllText(page);
                Assert.That(text, Does.StartWith($"# {rule.Name}\n"), runbook);
                foreach (var section in new[] { "## What it means", "## How to check", "## What to do", "## When to escalate" })
                    Assert.That(text, Does.Contain(section), $"{runbook}: {section}");
            }
        });
    }

    // No collector binary is packaged here, so its config is checked for the contract the dashboards and alerts rely on.
    [Test]
    public void The_collector_receives_OTLP_and_exports_Prometheus_with_resource_attributes_as_labels()
    {
        var lines = File.ReadAllLines(Path.Combine(ObservabilityDeploy.Folder, "otel-collector.yaml"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.That(lines, Does.Contain("endpoint: 0.0.0.0:4317").And.Contain("endpoint: 0.0.0.0:4318").And.Contain("endpoint: 0.0.0.0:8889"));
        var conversion = lines.IndexOf("resource_to_telemetry_conversion:");
        Assert.That(conversion, Is.GreaterThan(0));
        Assert.That(lines[conversion + 1], Is.EqualTo("enabled: true"));
        Assert.That(lines, Does.Contain("extensions: [health_check]"));
        Assert.That(lines.Count(l => l == "processors: [memory_limiter, batch]"), Is.EqualTo(3), "memory_limiter then batch in all three pipelines");
        Assert.That(lines, Does.Contain("exporters: [prometheus]").And.Contain("exporters: [otlp/traces]").And.Contain("exporters: [otlphttp/logs]"));
    }

    // ---- Grafana dashboards ------------------------------------------------------------------------------------

    [Test]
    public void The_expected_dashboards_exist()
    {
        var names = ObservabilityDeploy.DashboardFiles().Select(Path.GetFileNameWithoutExtension);
        Assert.That(names, Is.EquivalentTo(Services.Concat(["fleet-overview", "business-kpis", "messaging-health"])));
    }

    [Test]
    public async Task Every_dashboard_validates_against_Grafanas_published_dashboard_schema()
    {
        var files = ObservabilityDeploy.DashboardFiles();
        var report = await SpecTools.RunAsync(["dashboards", .. files]);
        TestContext.Progress.WriteLine($"dashboards checked against {report.GetProperty("schema").GetString()}");
        var results = report.GetProperty("results").EnumerateArray().ToList();
        Assert.That(results, Has.Count.EqualTo(files.Count));
        Assert.Multiple(() =>
        {
            foreach (var result in results)
            {
                var file = Path.GetFileName(result.GetProperty("file").GetString());
                var errors = result.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
                Assert.That(result.GetProperty("valid").GetBoolean(), Is.True, $"{file}: {string.Join("; ", errors)}");
                Assert.That(result.GetProperty("unknownTypes").GetArrayLength(), Is.Zero, $"{file} has a panel type without a schema");
            }
        });
    }

    [Test]
    public async Task The_schema_check_rejects_a_dashboard_Grafana_would_not_load()
    {
        var model = JsonNodeOf(ObservabilityDeploy.DashboardFiles().First(f => f.EndsWith("identity.json", StringComparison.Ordinal)));
        model.Remove("schemaVersion");
        var panels = model["panels"]!.AsArray();
        var stat = panels.First(p => (string?)p!["type"] == "stat")!.AsObject();
        stat["gridPos"]!.AsObject().Remove("w");
        stat["datasrc"] = "typo";
        stat["options"]!.AsObject().Remove("reduceOptions");
        var series = panels.First(p => (string?)p!["type"] == "timeseries")!.AsObject();
        series["fieldConfig"]!["defaults"]!["custom"]!["drawStyle"] = "zigzag";
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, "broken-dashboard.json");
        await File.WriteAllTextAsync(file, model.ToJsonString());

        var result = (await SpecTools.RunAsync("dashboards", file)).GetProperty("results")[0];
        var errors = string.Join("\n", result.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        Assert.That(result.GetProperty("valid").GetBoolean(), Is.False);
        Assert.That(errors, Does.Contain("must have required property 'schemaVersion'")
            .And.Contain("additional properties: datasrc")
            .And.Contain("must have required property 'w'")
            .And.Contain("must have required property 'reduceOptions'")
            .And.Contain("drawStyle must be equal to one of the allowed values"));
    }

    [Test]
    public void Every_panel_has_a_datasource_a_unique_id_a_place_on_the_grid_and_queries_with_expressions()
    {
        var uids = new List<string>();
        Assert.Multiple(() =>
        {
            foreach (var file in ObservabilityDeploy.DashboardFiles())
            {
                var name = Path.GetFileName(file);
                using var document = JsonDocument.Parse(File.ReadAllText(file));
                var root = document.RootElement;
                uids.Add(root.GetProperty("uid").GetString()!);
                Assert.That(root.GetProperty("schemaVersion").GetInt32(), Is.GreaterThanOrEqualTo(39), $"{name} schemaVersion");
                Assert.That(root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Does.Contain("dotmac"), $"{name} tags");
                var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray().ToList();
                Assert.That(variables.Any(v => v.GetProperty("name").GetString() == "datasource" && v.GetProperty("type").GetString() == "datasource"
                    && v.GetProperty("query").GetString() == "prometheus"), Is.True, $"{name} has no Prometheus datasource variable");
                Assert.That(variables.Select(v => v.GetProperty("name").GetString()), Has.None.EqualTo("service").And.None.EqualTo("tenant"), name);

                var panels = ObservabilityDeploy.Panels(root).ToList();
                Assert.That(panels.Select(p => p.GetProperty("id").GetInt32()), Is.Unique, $"{name} panel ids");
                var boxes = new List<(string Title, int X, int Y, int W, int H)>();
                foreach (var panel in panels)
                {
                    var title = $"{name} \"{panel.GetProperty("title").GetString()}\"";
                    var grid = panel.GetProperty("gridPos");
                    var (x, y, w, h) = (grid.GetProperty("x").GetInt32(), grid.GetProperty("y").GetInt32(), grid.GetProperty("w").GetInt32(), grid.GetProperty("h").GetInt32());
                    Assert.That(x >= 0 && w > 0 && x + w <= 24 && y >= 0 && h > 0, Is.True, $"{title} gridPos {x},{y} {w}x{h}");
                    var overlap = boxes.FirstOrDefault(b => x < b.X + b.W && b.X < x + w && y < b.Y + b.H && b.Y < y + h);
                    Assert.That(overlap.Title, Is.Null, $"{title} overlaps {overlap.Title}");
                    boxes.Add((title, x, y, w, h));
                    if (panel.GetProperty("type").GetString() == "row")
                        continue;
                    Assert.That(panel.GetProperty("datasource").GetProperty("uid").GetString(), Is.EqualTo("${datasource}"), $"{title} datasource");
                    Assert.That(panel.GetProperty("datasource").GetProperty("type").GetString(), Is.EqualTo("prometheus"), $"{title} datasource");
                    var targets = panel.GetProperty("targets").EnumerateArray().ToList();
                    Assert.That(targets, Is.Not.Empty, $"{title} has no queries");
                    Assert.That(targets.Select(t => t.GetProperty("refId").GetString()), Is.Unique, $"{title} refIds");
                    foreach (var target in targets)
                    {
                        Assert.That(target.TryGetProperty("expr", out var expr) ? expr.GetString() : null, Is.Not.Null.And.Not.Empty, $"{title} query without expr");
                        Assert.That(target.GetProperty("datasource").GetProperty("uid").GetString(), Is.EqualTo("${datasource}"), $"{title} query datasource");
                    }
                }
            }
        });
        Assert.That(uids, Is.Unique, "dashboard uids");
    }

    [Test]
    public void Every_service_dashboard_shares_the_layout_and_selects_only_its_service()
    {
        string[] everyService = ["Request rate by route", "5xx error ratio", "Latency p50 / p95 / p99", "Working set", "CPU"];
        string[] withBus = ["Outbox backlog", "Oldest undelivered message", "Outbox lag p50 / p99", "Inbox consumed / duplicates"];
        Assert.Multiple(() =>
        {
            foreach (var service in Services)
            {
                using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(ObservabilityDeploy.DashboardFolder, $"{service}.json")));
                var panels = ObservabilityDeploy.Panels(document.RootElement).Where(p => p.GetProperty("type").GetString() != "row").ToList();
                var titles = panels.Select(p => p.GetProperty("title").GetString()).ToList();
                Assert.That(titles, Is.SupersetOf(service == "gateway" ? everyService : everyService.Concat(withBus)), service);
                foreach (var expr in panels.SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()))
                    Assert.That(expr, Does.Contain($"service_name=\"{service}\""), $"{service}: {expr}");
            }
        });
    }

    // ---- Metric names ------------------------------------------------------------------------------------------

    [Test]
    public void Every_metric_a_dashboard_or_alert_names_is_one_the_fleet_exports()
    {
        var referenced = ObservabilityDeploy.ReferencedMetrics();
        Assert.That(referenced, Is.Not.Empty);
        Assert.That(referenced.Except(ObservabilityDeploy.ExportedMetrics).Order(), Is.Empty, "referenced but not exported");
    }

    [Test]
    public void Every_exported_metric_is_shown_on_some_dashboard()
    {
        var shown = ObservabilityDeploy.DashboardQueries().SelectMany(q => PromQl.MetricNames(q.Expr))
            .Select(ObservabilityDeploy.Family).ToHashSet();
        var exported = ObservabilityDeploy.ExportedMetrics.Select(ObservabilityDeploy.Family).ToHashSet();
        Assert.That(exported.Except(shown).Order(), Is.Empty, "exported but on no dashboard");
    }

    [TestCase("rate(http_server_request_duration_seconds_count{service_name=\"identity\",http_response_status_code=~\"5..\"}[5m])",
        new[] { "http_server_request_duration_seconds_count" })]
    [TestCase("histogram_quantile(0.99, sum by (service_name, le) (rate(a_bucket[$__rate_interval])))", new[] { "a_bucket" })]
    [TestCase("sum(rate(a_total[5m:1m])) by (job) / ignoring (instance) sum without (instance) (b_total)", new[] { "a_total", "b_total" })]
    [TestCase("a / on (service_name) group_left (tier) b * on(x) group_right() c", new[] { "a", "b", "c" })]
    [TestCase("a > bool 5 and b unless c or d AND e atan2 f", new[] { "a", "b", "c", "d", "e", "f" })]
    [TestCase("max_over_time(target_info[1d]) unless on (service_name) target_info offset 5m", new[] { "target_info" })]
    [TestCase("label_replace(up, \"dst\", \"$1 not_a_metric\", 'src', `(.*) other`)", new[] { "up" })]
    [TestCase("foo{x=\"}bar{\", y!~'a]b'} + bar", new[] { "foo", "bar" })]
    [TestCase("count_values(\"version\", build_info) # a comment naming other_metric\n+ topk(5, x)", new[] { "build_info", "x" })]
    [TestCase("1e3 * 0x1f + Inf - NaN + vector(1) + time()", new string[] { })]
    [TestCase("job:http_requests:rate5m @ start()", new[] { "job:http_requests:rate5m" })]
    [TestCase("sum by (service_name) (x) > on (service_name) max by (service_name) (y) + 21600", new[] { "x", "y" })]
    [TestCase("increase(a_total[$__range]) / increase(a_total[1h] offset -1h)", new[] { "a_total" })]
    public void PromQl_MetricNames_finds_the_metrics_of_an_expression(string expr, string[] expected) =>
        Assert.That(PromQl.MetricNames(expr), Is.EqualTo(expected));

    static System.Text.Json.Nodes.JsonObject JsonNodeOf(string file) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!.AsObject();
}

/// <summary>The metric names a PromQL expression selects, by a small tokenizer (no parser needed).</summary>
public static class PromQl
{
    // Compared lower-cased: PromQL's keywords are case-insensitive, metric names are not.
    static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless", "atan2",
        "inf", "nan",
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
        "limitk", "limit_ratio",
    };

    static readonly HashSet<string> Grouping = new(StringComparer.Ordinal) { "by", "without", "on", "ignoring", "group_left", "group_right" };

    /// <summary>
    /// Identifiers that are not followed by "(" (functions), not keywords or aggregation operators, not label names
    /// in a grouping list, and not inside label matchers, ranges, strings or comments. Distinct, in order of appearance.
    /// </summary>
    public static IReadOnlyList<string> MetricNames(string expr)
    {
        var names = new List<string>();
        var i = 0;
        while (i < expr.Length)
        {
            var c = expr[i];
            if (c is '"' or '\'' or '`')
                i = SkipString(expr, i);
            else if (c == '#')
                i = expr.IndexOf('\n', i) is var end and >= 0 ? end : expr.Length;
            else if (c == '{')
                i = SkipTo(expr, i, '}');
            else if (c == '[')
                i = SkipTo(expr, i, ']');
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < expr.Length && char.IsAsciiDigit(expr[i + 1])))
            {
                while (i < expr.Length && (char.IsAsciiLetterOrDigit(expr[i]) || expr[i] is '.' or '_'))
                    i++; // numbers, hex, durations (5m, 1h30m)
            }
            else if (char.IsAsciiLetter(c) || c is '_' or ':')
            {
                var start = i;
                while (i < expr.Length && (char.IsAsciiLetterOrDigit(expr[i]) || expr[i] is '_' or ':'))
                    i++;
                var word = expr[start..i];
                var next = SkipSpace(expr, i);
                var keyword = word.ToLowerInvariant();
                if (Grouping.Contains(keyword))
                {
                    if (next < expr.Length && expr[next] == '(')
                        i = SkipTo(expr, next, ')');
                }
                else if (next < expr.Length && expr[next] == '(')
                {
                    // a function or an aggregation: its arguments are read on
                }
                else if (!Keywords.Contains(keyword) && !names.Contains(word))
                    names.Add(word);
            }
            else
                i++;
        }
        return names;
    }

    static int SkipSpace(string expr, int i)
    {
        while (i < expr.Length && char.IsWhiteSpace(expr[i]))
            i++;
        return i;
    }

    static int SkipString(string expr, int i)
    {
        var quote = expr[i++];
        while (i < expr.Length && expr[i] != quote)
            i += expr[i] == '\\' && quote != '`' ? 2 : 1;
        return Math.Min(i + 1, expr.Length);
    }

    // Past the closing character; strings inside (label values) may hold it.
    static int SkipTo(string expr, int i, char close)
    {
        i++;
        while (i < expr.Length && expr[i] != close)
            i = expr[i] is '"' or '\'' or '`' ? SkipString(expr, i) : i + 1;
        return Math.Min(i + 1, expr.Length);
    }
}

/// <summary>deploy/observability read back: its dashboards' queries, its alerting rules, the metrics they name.</summary>
public static class ObservabilityDeploy
{
    public sealed record AlertRule(string Name, string Expr, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);

    public sealed record AlertTestCase(string Alert, bool Fires);

    public sealed record DashboardQuery(string Dashboard, string Panel, string Expr);

    public static string Root { get; } = StateDirectory.RepositoryRoot(AppContext.BaseDirectory);
    public static string Folder { get; } = Path.Combine(Root, "deploy", "observability");
    public static string DashboardFolder { get; } = Path.Combine(Folder, "dashboards");
    public static string RulesFile { get; } = Path.Combine(Folder, "alerts", "dotmac-rules.yaml");
    public static string RulesTestFile { get; } = Path.Combine(Folder, "alerts", "dotmac-rules.test.yaml");

    /// <summary>
    /// What the services export through the collector's Prometheus exporter (dots to underscores, counters _total,
    /// unit s _seconds, By _bytes; histograms as _bucket, _sum and _count), plus the exporter's target_info.
    /// </summary>
    public static IReadOnlySet<string> ExportedMetrics { get; } = BuildExported();

    static HashSet<string> BuildExported()
    {
        string[] histograms =
        [
            "http_server_request_duration_seconds", "http_client_request_duration_seconds", "dotmac_outbox_lag_seconds",
            "dotmac_scheduler_lateness_seconds", "dotmac_networking_poll_duration_seconds",
        ];
        string[] others =
        [
            "target_info",
            "kestrel_active_connections", "dotnet_process_memory_working_set_bytes", "dotnet_gc_heap_total_allocated_bytes_total",
            "dotnet_process_cpu_time_seconds_total",
            "dotmac_outbox_written_total", "dotmac_outbox_dispatched_total", "dotmac_outbox_dispatch_failures_total", "dotmac_outbox_backlog",
            "dotmac_outbox_oldest_age_seconds", "dotmac_inbox_consumed_total", "dotmac_inbox_duplicates_total", "dotmac_saga_conflicts_total",
            "dotmac_scheduler_fired_total", "dotmac_scheduler_backlog", "dotmac_ops_dead_letters",
            "dotmac_identity_refresh_token_reuse_total", "dotmac_identity_signing_key_age_seconds", "dotmac_identity_signing_key_lifetime_seconds",
            "dotmac_networking_polls_total", "dotmac_devices_down", "dotmac_radius_writes_total",
            "dotmac_orders_submitted_total", "dotmac_orders_activated_total", "dotmac_orders_failed_total", "dotmac_services_suspended_total",
            "dotmac_services_restored_total", "dotmac_invoices_issued_total", "dotmac_payments_collected_total", "dotmac_payments_amount_total",
        ];
        return [.. others, .. histograms.SelectMany(h => new[] { $"{h}_bucket", $"{h}_sum", $"{h}_count" })];
    }

    /// <summary>A histogram series' metric (its _bucket/_sum/_count stripped); any other name as it is.</summary>
    public static string Family(string metric) =>
        Regex.Replace(metric, "_seconds_(bucket|sum|count)$", "_seconds", RegexOptions.CultureInvariant);

    /// <summary>Every metric name referenced by a dashboard query or an alerting rule, as written.</summary>
    public static IReadOnlySet<string> ReferencedMetrics() =>
        DashboardQueries().Select(q => q.Expr).Concat(AlertRules().Select(r => r.Expr))
            .SelectMany(PromQl.MetricNames).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyList<string> DashboardFiles() =>
        [.. Directory.GetFiles(DashboardFolder, "*.json").Order(StringComparer.Ordinal)];

    public static IReadOnlyList<DashboardQuery> DashboardQueries()
    {
        var queries = new List<DashboardQuery>();
        foreach (var file in DashboardFiles())
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var panel in Panels(document.RootElement))
            {
                if (!panel.TryGetProperty("targets", out var targets))
                    continue;
                foreach (var target in targets.EnumerateArray())
                {
                    if (target.TryGetProperty("expr", out var expr) && expr.GetString() is { Length: > 0 } text)
                        queries.Add(new(Path.GetFileName(file), panel.GetProperty("title").GetString() ?? "", text));
                }
            }
        }
        return queries;
    }

    /// <summary>A dashboard's panels, those inside rows included.</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement dashboard)
    {
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in nested.EnumerateArray())
                    yield return inner;
            }
        }
    }

    /// <summary>
    /// The rules of dotmac-rules.yaml, read line by line for the shape that file keeps (no YAML library in this
    /// project): "- alert:" starts a rule; "expr:" is one line or a block scalar; labels and annotations are flat maps.
    /// The promtool test checks that this reader finds as many rules as promtool does.
    /// </summary>
    public static IReadOnlyList<AlertRule> AlertRules()
    {
        var rules = new List<AlertRule>();
        var lines = File.ReadAllLines(RulesFile);
        string? name = null;
        string expr = "";
        Dictionary<string, string> labels = [], annotations = [];
        Dictionary<string, string>? map = null;
        var mapIndent = 0;

        void Finish()
        {
            if (name is not null)
                rules.Add(new(name, expr, labels, annotations));
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
                continue;
            var indent = line.Length - line.TrimStart().Length;
            if (map is not null && indent > mapIndent && Pair(text) is { } pair)
            {
                map[pair.Key] = pair.Value;
                continue;
            }
            map = null;
            if (text.StartsWith("- alert:", StringComparison.Ordinal))
            {
                Finish();
                name = Unquote(text["- alert:".Length..].Trim());
                expr = "";
                labels = [];
                annotations = [];
            }
            else if (text.StartsWith("expr:", StringComparison.Ordinal))
            {
                var value = text["expr:".Length..].Trim();
                if (value.StartsWith('|') || value.StartsWith('>'))
                {
                    var block = new StringBuilder();
                    while (i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0 || lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent))
                        block.AppendLine(lines[++i].Trim());
                    expr = block.ToString().Trim();
                }
                else
                    expr = Unquote(value);
            }
            else if (text is "labels:" or "annotations:")
            {
                map = text == "labels:" ? labels : annotations;
                mapIndent = indent;
            }
        }
        Finish();
        return rules;
    }

    /// <summary>Each alert_rule_test case of dotmac-rules.test.yaml: the alert, and whether alerts are expected.</summary>
    public static IReadOnlyList<AlertTestCase> AlertTestCases()
    {
        var cases = new List<AlertTestCase>();
        var lines = File.ReadAllLines(RulesTestFile).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        for (var i = 0; i + 1 < lines.Count; i++)
        {
            if (lines[i].StartsWith("alertname:", StringComparison.Ordinal) && lines[i + 1].StartsWith("exp_alerts:", StringComparison.Ordinal))
                cases.Add(new(Unquote(lines[i]["alertname:".Length..].Trim()), lines[i + 1] != "exp_alerts: []"));
        }
        return cases;
    }

    /// <summary>ServiceDown → service-down, the runbook's file name.</summary>
    public static string Kebab(string name) =>
        Regex.Replace(name, "(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", RegexOptions.CultureInvariant).ToLowerInvariant();

    static (string Key, string Value)? Pair(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? (text[..colon].Trim(), Unquote(text[(colon + 1)..].Trim())) : null;
    }

    static string Unquote(string value) =>
        value.Length >= 2 && ((value[0] == '"' && value[^1] == '"') || (value[0] == '\'' && value[^1] == '\'')) ? value[1..^1] : value;
}
