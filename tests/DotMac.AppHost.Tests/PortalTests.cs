using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using DotMac.AppHost.Infrastructure;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace DotMac.AppHost.Tests;

/// <summary>
/// The staff console and the customer portal in Debian's headless Chromium (Playwright for .NET), against the fleet the
/// AppHost runs, through the gateway only. A tenant of its own is made through the API (platform staff's job); every
/// step after that is done in the UI as a user would, and checked afterwards through the API. Each main page is
/// screenshotted at desktop and phone width and checked with axe-core.
/// </summary>
[TestFixture, NonParallelizable, Order(3)]
public sealed class When_staff_and_customers_use_the_portals
{
    const string Password = "Portal-Tester-2026";
    static readonly Uri Gateway = SharedFleet.Gateway;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    readonly string _slug = $"portals-{DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 10_000_000}";
    readonly List<string> _consoleErrors = [];
    readonly List<string> _refused = [];
    string _screenshots = null!;
    IPlaywright _playwright = null!;
    IBrowser _browser = null!;
    Guid _tenant;
    string _admin = null!;
    string _clerk = null!;

    // What the tenant admin made in the UI, for the customer's part and the checks.
    string? _portalId;
    string? _initialPassword;
    string? _customerName;
    string? _invoiceNumber;

    [OneTimeSetUp]
    public async Task StartFleetTenantAndBrowser()
    {
        await SharedFleet.StartAsync();
        var token = await SharedFleet.SuperAdminTokenAsync(_http);
        var created = await SendAsync(HttpMethod.Post, "/api/v1/platform/tenants", token, new
        {
            slug = _slug, name = "Portal Fibre", plan = "enterprise",
            settings = new
            {
                currency = "USD", timeZone = "America/New_York", billingDay = 1,
                taxRates = Array.Empty<object>(),
                dunning = new { reminderDays = new[] { 3 }, suspendAfterDays = 14, terminateAfterDays = 60 },
            },
        }, tenant: null, idempotencyKey: _slug);
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body.ToString());
        _tenant = created.Body.GetProperty("id").GetGuid();
        _admin = await CreateStaffAsync(token, "admin", "tenant_admin");
        _clerk = await CreateStaffAsync(token, "billing", "billing_clerk");

        _screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "portal-screenshots");
        Directory.CreateDirectory(_screenshots);
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task CloseBrowser()
    {
        if (_browser is not null)
            await _browser.CloseAsync();
        _playwright?.Dispose();
        _http.Dispose();
    }

    // Identity learns of the new tenant from platform's event: the first user may have to wait for it.
    async Task<string> CreateStaffAsync(string token, string name, string role)
    {
        var email = $"{name}@{_slug}.example.net";
        (HttpStatusCode Status, JsonElement Body) user = default;
        await Eventually.TrueAsync(async () => (user = await SendAsync(HttpMethod.Post, "/api/v1/identity/users", token,
                new { email, displayName = $"{role} of {_slug}", password = Password, roles = new[] { role } }, _tenant)).Status == HttpStatusCode.Created,
            TimeSpan.FromSeconds(30), () => $"the {role} to be created: {user.Status} {user.Body}");
        return email;
    }

    async Task<IPage> PageAsync(int width = 1280, int height = 900)
    {
        var page = await Chromium.PageAsync(_browser, Gateway, width, height, _consoleErrors);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
                _refused.Add($"{response.Request.Method} {response.Url} {response.Status}");
        };
        return page;
    }

    static async Task StaffLoginAsync(IPage page, string organisation, string email)
    {
        await page.GotoAsync("/console");
        await page.GetByLabel("Organisation").FillAsync(organisation);
        await page.GetByLabel("Email").FillAsync(email);
        await page.Locator("input[name=password]").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
    }

    static Task GoAsync(IPage page, string link) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();

    [Test, Order(1)]
    public async Task Should_let_a_tenant_admin_go_from_plan_to_paid_invoice_in_the_console()
    {
        var page = await PageAsync();
        await StaffLoginAsync(page, _slug, _admin);

        await GoAsync(page, "Plans");
        await page.GetByRole(AriaRole.Button, new() { Name = "New plan" }).ClickAsync();
        // The client's own checks first: an empty form names its fields.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create plan" }).ClickAsync();
        await Expect(page.GetByText("Code is required.")).ToBeVisibleAsync();
        await page.GetByLabel("Code").FillAsync("fibre-50");
        await page.Locator("input[name=name]").FillAsync("Fibre 50");
        await page.Locator("input[name=downloadMbps]").FillAsync("50");
        await page.Locator("input[name=uploadMbps]").FillAsync("10");
        await page.GetByLabel("Price").FillAsync("30.00");
        await page.GetByLabel("Currency").FillAsync("USD");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create plan" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Fibre 50", Exact = true })).ToBeVisibleAsync();

        // The server's problem details beside the field: the same code twice is refused.
        await page.GetByRole(AriaRole.Button, new() { Name = "New plan" }).ClickAsync();
        await page.GetByLabel("Code").FillAsync("fibre-50");
        await page.Locator("input[name=name]").FillAsync("Fibre 50 again");
        await page.Locator("input[name=downloadMbps]").FillAsync("50");
        await page.Locator("input[name=uploadMbps]").FillAsync("10");
        await page.GetByLabel("Price").FillAsync("31.00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create plan" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(new System.Text.RegularExpressions.Regex("code|exists|taken", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
        await page.GetByRole(AriaRole.Button, new() { Name = "New plan" }).ClickAsync();

        var octet = Random.Shared.Next(64, 127);
        await GoAsync(page, "IPAM");
        await page.Locator("input[name=prefix]").FillAsync($"100.{octet}.0.0/16");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add prefix" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = $"100.{octet}.0.0/16" })).ToBeVisibleAsync();
        var pool = page.GetByRole(AriaRole.Form, new() { Name = "New pool" });
        await pool.GetByLabel("Name").FillAsync("Main street");
        await pool.GetByLabel("Network").FillAsync($"100.{octet}.1.0/24");
        await pool.GetByRole(AriaRole.Button, new() { Name = "Create pool" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Main street" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Main street utilisation" })).ToBeVisibleAsync();

        _customerName = $"Ada Portal {octet}";
        await GoAsync(page, "Customers");
        await page.GetByRole(AriaRole.Button, new() { Name = "New customer" }).ClickAsync();
        var customer = page.GetByRole(AriaRole.Form, new() { Name = "New customer" });
        await customer.Locator("input[name=name]").FillAsync(_customerName);
        await customer.GetByLabel("Email").FillAsync($"ada.{octet}@{_slug}.example.com");
        await customer.GetByLabel("Street address").FillAsync("1 Fibre Way");
        await customer.GetByLabel("City").FillAsync("Springfield");
        await customer.GetByLabel("Postal code").FillAsync("12345");
        await customer.GetByLabel("Country").FillAsync("US");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Create customer" }).ClickAsync();
        _portalId = await page.GetByTestId("portal-id").InnerTextAsync();
        _initialPassword = await page.GetByTestId("initial-password").InnerTextAsync();
        Assert.That(_portalId, Has.Length.EqualTo(8));
        Assert.That(_initialPassword, Has.Length.GreaterThanOrEqualTo(12));

        await GoAsync(page, "Orders");
        var order = page.GetByRole(AriaRole.Form, new() { Name = "Submit an order" });
        await order.GetByLabel("Customer").SelectOptionAsync(new SelectOptionValue { Label = $"{_customerName} (ada.{octet}@{_slug}.example.com)" });
        await order.GetByLabel("Plan").SelectOptionAsync(new SelectOptionValue { Label = "Fibre 50 (fibre-50)" });
        await order.GetByLabel("Address pool").SelectOptionAsync(new SelectOptionValue { Label = $"Main street (100.{octet}.1.0/24)" });
        await order.GetByRole(AriaRole.Button, new() { Name = "Submit order" }).ClickAsync();
        // The order's page follows the saga live until the service is active.
        await Expect(page.GetByTestId("order-status")).ToContainTextAsync("active", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("order-status")).Not.ToContainTextAsync("pending");
        await Expect(page.GetByText("RADIUS profile written: completed")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(_screenshots, "console-order-desktop.png"), FullPage = true });

        await GoAsync(page, "Invoices");
        var invoiceNow = page.GetByRole(AriaRole.Form, new() { Name = "Invoice a customer now" });
        await invoiceNow.GetByLabel("Customer").SelectOptionAsync(new SelectOptionValue { Label = $"{_customerName} (ada.{octet}@{_slug}.example.com)" });
        await invoiceNow.GetByRole(AriaRole.Button, new() { Name = "Issue invoice" }).ClickAsync();
        var issued = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "issued" });
        await Expect(issued).ToBeVisibleAsync();
        await issued.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Record a payment" })).ToBeVisibleAsync();
        _invoiceNumber = (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync()).Replace("Invoice ", "", StringComparison.Ordinal);
        await Expect(page.FrameLocator("iframe.invoice-view").Locator("body")).ToContainTextAsync(_invoiceNumber);

        var payment = page.GetByRole(AriaRole.Form, new() { Name = "Record a payment" });
        await payment.GetByLabel("Amount").FillAsync("10.00");
        await payment.GetByRole(AriaRole.Button, new() { Name = "Record payment" }).ClickAsync();
        await Expect(payment.GetByText("The bank's reference is required.")).ToBeVisibleAsync();
        await payment.GetByLabel("Reference").FillAsync("BANK-REF-0001");
        await payment.GetByRole(AriaRole.Button, new() { Name = "Record payment" }).ClickAsync();
        await Expect(page.GetByText("Payment succeeded.")).ToBeVisibleAsync();

        // The back end agrees: the service is active, the invoice carries the payment.
        var services = await SendAsync(HttpMethod.Get, "/api/v1/services/services?status=active", await StaffTokenAsync(_admin), null, null);
        Assert.That(services.Body.GetProperty("items").EnumerateArray().Count(), Is.EqualTo(1), services.Body.ToString());
        var invoices = await SendAsync(HttpMethod.Get, "/api/v1/billing/invoices", await StaffTokenAsync(_admin), null, null);
        var invoice = invoices.Body.GetProperty("items").EnumerateArray().Single();
        Assert.That(invoice.GetProperty("number").GetString(), Is.EqualTo(_invoiceNumber));
        Assert.That(invoice.GetProperty("amountPaid").GetDecimal(), Is.EqualTo(10.00m));
        Assert.That(invoice.GetProperty("total").GetDecimal(), Is.GreaterThan(10.00m));
        var payments = await SendAsync(HttpMethod.Get, "/api/v1/billing/payments", await StaffTokenAsync(_admin), null, null);
        var recorded = payments.Body.GetProperty("items").EnumerateArray().Single();
        Assert.That(recorded.GetProperty("method").GetString(), Is.EqualTo("bank_transfer"));
        Assert.That(recorded.GetProperty("reference").GetString(), Is.EqualTo("BANK-REF-0001"));
        AssertNoConsoleErrors(expectedRefusals: true); // the refused duplicate plan (409)
        await page.Context.CloseAsync();
    }

    [Test, Order(2)]
    public async Task Should_let_the_customer_activate_the_account_and_pay_the_invoice_by_card()
    {
        Assume.That(_portalId, Is.Not.Null, "the console test made the customer");
        var page = await PageAsync();
        await page.GotoAsync("/portal");
        await page.GetByLabel("Portal ID").FillAsync(_portalId!);
        await page.Locator("input[name=password]").FillAsync(_initialPassword!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Activate your account" })).ToBeVisibleAsync();
        await page.GetByLabel("Initial password (from your provider)").FillAsync(_initialPassword!);
        await page.Locator("input[name=newPassword]").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(page.GetByText("Must be at least 12 characters.")).ToBeVisibleAsync();
        await page.Locator("input[name=newPassword]").FillAsync(Password);
        await page.GetByLabel("Repeat the new password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(page.GetByText("Your account is active.")).ToBeVisibleAsync();

        await page.GetByLabel("Portal ID").FillAsync(_portalId!);
        await page.Locator("input[name=password]").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My services" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Fibre 50" })).ToBeVisibleAsync();

        await GoAsync(page, "Invoices");
        await page.GetByRole(AriaRole.Link, new() { Name = _invoiceNumber! }).ClickAsync();
        await Expect(page.FrameLocator("iframe.invoice-view").Locator("body")).ToContainTextAsync(_invoiceNumber!);
        var card = page.GetByRole(AriaRole.Form, new() { Name = "Pay by card" });
        await card.GetByLabel("Card number").FillAsync("4000 0000 0000 0002");
        await card.GetByLabel("Expiry (MM/YY)").FillAsync($"12/{(DateTime.UtcNow.Year + 3) % 100:00}");
        await card.GetByLabel("CVC").FillAsync("123");
        await card.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("the card was declined");
        await page.ScreenshotAsync(new() { Path = Path.Combine(_screenshots, "portal-declined-desktop.png"), FullPage = true });

        await card.GetByLabel("Card number").FillAsync("4242 4242 4242 4242");
        await card.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByText("Thank you")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("invoice-status")).ToHaveTextAsync("paid");

        var invoices = await SendAsync(HttpMethod.Get, "/api/v1/billing/invoices", await StaffTokenAsync(_admin), null, null);
        var invoice = invoices.Body.GetProperty("items").EnumerateArray().Single();
        Assert.That(invoice.GetProperty("status").GetString(), Is.EqualTo("paid"));
        Assert.That(invoice.GetProperty("amountDue").GetDecimal(), Is.Zero);
        var payments = await SendAsync(HttpMethod.Get, "/api/v1/billing/payments", await StaffTokenAsync(_admin), null, null);
        Assert.That(payments.Body.GetProperty("items").EnumerateArray().Select(p => $"{p.GetProperty("method").GetString()}:{p.GetProperty("status").GetString()}"),
            Is.EquivalentTo(new[] { "bank_transfer:succeeded", "card:declined", "card:succeeded" }));
        AssertNoConsoleErrors(expectedRefusals: true);
        await page.Context.CloseAsync();
    }

    [Test, Order(3)]
    public async Task Should_lock_the_portal_after_the_fifth_wrong_password()
    {
        var created = await SendAsync(HttpMethod.Post, "/api/v1/identity/customers", await StaffTokenAsync(_admin), new
        {
            kind = "residential", name = "Locked Out", email = $"locked@{_slug}.example.com",
            address = new { line1 = "2 Fibre Way", city = "Springfield", postalCode = "12345", country = "US" }, portalAccount = true,
        }, null);
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body.ToString());
        var portalId = created.Body.GetProperty("portal").GetProperty("portalId").GetString()!;
        var page = await PageAsync(390, 844);
        await page.GotoAsync("/portal");
        await page.GetByLabel("Portal ID").FillAsync(portalId);
        var alert = page.GetByRole(AriaRole.Alert);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await page.Locator("input[name=password]").FillAsync($"Wrong-Password-{attempt}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
            await Expect(alert).ToContainTextAsync(attempt < 5 ? "The login name or password is wrong." : "locked", new() { IgnoreCase = true });
        }
        await Expect(alert).ToContainTextAsync("Contact your provider");
        await page.ScreenshotAsync(new() { Path = Path.Combine(_screenshots, "portal-locked-phone.png"), FullPage = true });
        AssertNoConsoleErrors(expectedRefusals: true);
        await page.Context.CloseAsync();
    }

    [Test, Order(4)]
    public async Task Should_show_a_billing_clerk_only_what_the_role_allows()
    {
        var page = await PageAsync();
        await StaffLoginAsync(page, _slug, _clerk);
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Invoices" })).ToBeVisibleAsync();
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "IPAM" })).ToHaveCountAsync(0);
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
        foreach (var forced in new[] { "/console/ipam", "/console/users" })
        {
            await page.GotoAsync(forced);
            await Expect(page.GetByText("Your role does not allow this page")).ToBeVisibleAsync();
        }
        var token = await StaffTokenAsync(_clerk);
        foreach (var path in new[] { "/api/v1/networking/ip-pools", "/api/v1/identity/users" })
            Assert.That((await SendAsync(HttpMethod.Get, path, token, null, null)).Status, Is.EqualTo(HttpStatusCode.Forbidden), path);
        Assert.That((await SendAsync(HttpMethod.Get, "/api/v1/billing/invoices", token, null, null)).Status, Is.EqualTo(HttpStatusCode.OK));
        AssertNoConsoleErrors();
        await page.Context.CloseAsync();
    }

    [Test, Order(5)]
    public async Task Should_render_every_main_page_accessibly_at_desktop_and_phone_width()
    {
        Assume.That(_portalId, Is.Not.Null, "the console test made the data");
        var problems = new List<string>();
        foreach (var (width, height, name) in new[] { (1280, 900, "desktop"), (390, 844, "phone") })
        {
            var staff = await PageAsync(width, height);
            await staff.GotoAsync("/console");
            await CheckAsync(staff, $"console-login-{name}", problems);
            await StaffLoginAsync(staff, _slug, _admin);
            foreach (var (path, title) in new[] { ("/console", "Overview"), ("/console/customers", "Customers"), ("/console/plans", "Plans"),
                         ("/console/orders", "Orders"), ("/console/services", "Services"), ("/console/ipam", "IP address management"),
                         ("/console/invoices", "Invoices"), ("/console/users", "Users and roles"), ("/console/tenants", "Tenants"),
                         ("/console/devices", "Devices"), ("/console/analytics", "Analytics"), ("/console/events", "Events and webhooks"),
                         ("/console/clients", "API clients") })
            {
                await staff.GotoAsync(path);
                await Expect(staff.GetByRole(AriaRole.Heading, new() { Name = title, Exact = true })).ToBeVisibleAsync();
                await Expect(staff.Locator(".loading")).ToHaveCountAsync(0);
                await CheckAsync(staff, $"console{path.Replace("/console", "", StringComparison.Ordinal).Replace('/', '-')}-{name}", problems);
            }
            await staff.Context.CloseAsync();

            // Platform staff: the operations page, and acting for the tenant picked at the top.
            var platform = await PageAsync(width, height);
            var admin = await File.ReadAllLinesAsync(Path.Combine(StateDirectory.Resolve(), "identity", "super-admin.txt"));
            await platform.GotoAsync("/console");
            await platform.GetByLabel("Email").FillAsync(admin[0]);
            await platform.Locator("input[name=password]").FillAsync(admin[1]);
            await platform.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
            await Expect(platform.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
            await platform.GetByLabel("Tenant", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Value = _tenant.ToString() });
            await platform.GotoAsync("/console/customers");
            await Expect(platform.GetByRole(AriaRole.Cell, new() { Name = _customerName! })).ToBeVisibleAsync();
            await platform.GotoAsync("/console/ops");
            await Expect(platform.GetByRole(AriaRole.Heading, new() { Name = "Operations", Exact = true })).ToBeVisibleAsync();
            await Expect(platform.Locator(".loading")).ToHaveCountAsync(0);
            await CheckAsync(platform, $"console-ops-{name}", problems);
            await platform.Context.CloseAsync();

            var customer = await PageAsync(width, height);
            await customer.GotoAsync("/portal");
            await CheckAsync(customer, $"portal-login-{name}", problems);
            await customer.GetByLabel("Portal ID").FillAsync(_portalId!);
            await customer.Locator("input[name=password]").FillAsync(Password);
            await customer.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
            await Expect(customer.GetByRole(AriaRole.Heading, new() { Name = "My services" })).ToBeVisibleAsync();
            foreach (var (path, title) in new[] { ("/portal", "My services"), ("/portal/invoices", "Invoices"), ("/portal/payments", "Payments"), ("/portal/profile", "My profile") })
            {
                await customer.GotoAsync(path);
                await Expect(customer.GetByRole(AriaRole.Heading, new() { Name = title, Exact = true })).ToBeVisibleAsync();
                await Expect(customer.Locator(".loading")).ToHaveCountAsync(0);
                await CheckAsync(customer, $"portal{path.Replace("/portal", "", StringComparison.Ordinal).Replace('/', '-')}-{name}", problems);
            }
            await customer.Context.CloseAsync();
        }
        TestContext.Progress.WriteLine($"portal screenshots: {_screenshots}");
        Assert.That(problems, Is.Empty, "axe-core: serious or critical violations");
        AssertNoConsoleErrors();
    }

    async Task CheckAsync(IPage page, string name, List<string> problems)
    {
        var file = Path.Combine(_screenshots, $"{name.Replace("--", "-", StringComparison.Ordinal)}.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file);
        var results = await page.RunAxe();
        foreach (var violation in results.Violations.Where(v => v.Impact is "serious" or "critical"))
            problems.Add($"{name}: {violation.Id} ({violation.Impact}) {violation.Help}: {string.Join(", ", violation.Nodes.Select(n => n.Html).Take(3))}");
    }

    // A refused login or a 401 shows in Chromium's console as "Failed to load resource"; everything else is a defect.
    void AssertNoConsoleErrors(bool expectedRefusals = false)
    {
        var errors = _consoleErrors.Where(e => !(expectedRefusals && e.Contains("Failed to load resource: the server responded with a status of 40", StringComparison.Ordinal))).ToList();
        _consoleErrors.Clear();
        Assert.That(errors, Is.Empty, $"errors in the browser's console; the refused calls: {string.Join(", ", _refused)}");
        _refused.Clear();
    }

    async Task<string> StaffTokenAsync(string email)
    {
        using var login = await _http.PostAsJsonAsync(new Uri(Gateway, "/api/v1/identity/auth/login"), new { email, password = Password, tenant = _slug });
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), await login.Content.ReadAsStringAsync());
        return (await login.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("access_token").GetString()!;
    }

    Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string token, object? body, Guid? tenant, string? idempotencyKey = null) =>
        GatewayCalls.SendAsync(_http, token, method, path, body, tenant, idempotencyKey);
}

/// <summary>The portals' own unit tests (vitest: claims, session refresh, problem details, form rules), inside the README's test command.</summary>
[TestFixture]
public sealed class When_the_portals_unit_tests_run
{
    [Test]
    public async Task Should_pass()
    {
        var folder = Path.Combine(StateDirectory.RepositoryRoot(AppContext.BaseDirectory), "portals");
        Assert.That(Directory.Exists(Path.Combine(folder, "node_modules")), Is.True, "building the gateway installs the portals' packages (npm ci)");
        var result = await Shell.RunAsync("npm", ["test", "--prefix", folder, "--silent"], TimeSpan.FromMinutes(3), new Dictionary<string, string> { ["NO_COLOR"] = "1", ["CI"] = "1" });
        TestContext.Progress.WriteLine(result.Output);
        Assert.That(result.ExitCode, Is.EqualTo(0), $"npm test in portals/: {result.Describe()}");
    }
}
