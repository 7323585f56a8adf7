using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

/// <summary>
/// One portal on a real Kestrel port, one real SMTP listener and one headless Debian Chromium for
/// the whole browser collection: each test gets its own fresh browser context (cookies, storage).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? playwright;

    public PortalFactory Portal { get; private set; } = null!;

    public SmtpListener Smtp { get; private set; } = null!;

    /// <summary>The company's system that hears of people's choices (webhooks).</summary>
    public WebhookListener Hooks { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing. Run ./test.sh, which installs Debian's chromium package.");
        }

        Smtp = await SmtpListener.StartAsync();
        Hooks = await WebhookListener.StartAsync();
        Portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["Webhooks:Endpoints:0:Name"] = "company-app",
            ["Webhooks:Endpoints:0:Url"] = Hooks.Url,
            ["Webhooks:Endpoints:0:Secret"] = WebhookListener.Secret,
            ["Webhooks:PollInterval"] = "00:00:00.200",
            ["Email:DeliveryMode"] = "Smtp",
            ["Email:Host"] = "127.0.0.1",
            ["Email:Port"] = Smtp.Port.ToString(),
            ["Email:Security"] = "None",
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Fulfilment:WorkerEnabled"] = "true",
            ["Fulfilment:PollInterval"] = "00:00:00.300",
            // Journeys running side by side confirm as the same demo people within a minute.
            ["Verification:ResendSeconds"] = "1",
            ["Verification:MaxCodesPerHour"] = "100",
            // The browser solves the bot check for real, at a difficulty that keeps the journeys quick.
            ["BotCheck:Enabled"] = "true",
            ["BotCheck:Difficulty"] = "10",
        });
        BaseAddress = Portal.StartOnKestrel();

        // Expectations retry until this long: a busy 2-core machine renders slower, never differently.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>A new page, signed in as that account, on that path, once the page is interactive.</summary>
    public async Task<IPage> SignedInPageAsync(string email, string path, string timeZone = DefaultTimeZone)
    {
        var page = await NewPageAsync(timeZone: timeZone);
        await page.SignInAsync(email, PortalForms.DemoPassword);
        await page.GotoAsync(path);
        await page.WaitForInteractiveAsync();
        return page;
    }

    /// <summary>The demo company's users are in China: browsers read clocks there unless a test says otherwise.</summary>
    public const string DefaultTimeZone = "Asia/Shanghai";

    public async Task<IPage> NewPageAsync(string locale = "en-US", Uri? baseAddress = null, string timeZone = DefaultTimeZone)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (baseAddress ?? BaseAddress).ToString(),
            Locale = locale,
            TimezoneId = timeZone,
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = locale },
        });
        // Generous: the suite shares two cores with builds of other test classes' portals.
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await Portal.DisposeAsync();
        await Smtp.DisposeAsync();
        await Hooks.DisposeAsync();
    }
}

/// <summary>
/// The journeys, in two collections of about equal length, each with its own portal and browser: a collection's
/// tests run one after another, and the two (with the accessibility sweep) run beside each other and the rest.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>The other half of the journeys (see <see cref="BrowserCollection"/>).</summary>
[CollectionDefinition(Name)]
public sealed class SecondBrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser-second";
}

public static class PageExtensions
{
    /// <summary>The prerendered page shows before the circuit connects; clicks before that are lost.</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>On a request waiting for its requester (an export, a deletion): confirms with the code the phone receives.</summary>
    public static async Task ConfirmItIsMeAsync(this IPage page, string smsFolder, string phone)
    {
        await Assertions.Expect(page.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "AwaitingVerification");
        var seen = SmsReader.To(smsFolder, phone).Count(m => m.Code is not null);
        await page.ClickAsync("[data-testid=confirm-send]");
        var code = await SmsReader.WaitForCodeAsync(smsFolder, phone, seen);
        await page.FillAsync("[data-testid=confirm-code]", code);
        await page.ClickAsync("[data-testid=confirm-submit]");
        await Assertions.Expect(page.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "Open");
    }

    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.FillAsync("#Input\\.Email", email);
        await page.FillAsync("#Input\\.Password", password);
        // After a few failed sign-ins from this address (other journeys' on the shared portal), the form carries the
        // bot check: a click before its script has taken the form over would send it unsolved and be refused.
        var botCheck = page.Locator("[data-bot-check]");
        if (await botCheck.CountAsync() > 0)
        {
            await Assertions.Expect(botCheck).ToHaveAttributeAsync("data-bot-check-started", "true");
        }

        await page.ClickAsync("[data-testid=login-submit]");
        // Committed is enough: the next step waits for what it needs, and "load" can lag on a busy machine.
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
    }
}
