using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

[Collection(SecondBrowserCollection.Name)]
public sealed class AccountJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_person_registers_confirms_signs_in_switches_to_Chinese_and_signs_out()
    {
        var page = await fixture.NewPageAsync();
        const string email = "journey@example.com";
        const string password = "a long and memorable passphrase";

        await page.GotoAsync("Account/Register");
        // Mistakes show as one types, before anything is sent, in the words the server would use.
        var phoneError = page.Locator("#Input\\.PhoneNumber-live-error");
        await page.FillAsync("#Input\\.PhoneNumber", "1391234");
        await page.FocusAsync("#Input\\.Nickname");
        await Assertions.Expect(phoneError).ToHaveTextAsync("Enter an 11-digit mainland China mobile number, for example 13812345678.");
        await Assertions.Expect(page.Locator("#Input\\.PhoneNumber")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.FillAsync("#Input\\.PhoneNumber", "139 1234 5678");
        await Assertions.Expect(phoneError).ToBeEmptyAsync();
        await page.FillAsync("#Input\\.Password", password);
        await page.FillAsync("#Input\\.ConfirmPassword", password + "!");
        await page.FocusAsync("#Input\\.Email");
        await Assertions.Expect(page.Locator("#Input\\.ConfirmPassword-live-error")).ToHaveTextAsync("The two passwords do not match.");
        // A form with mistakes left is not sent: the first mistake gets the focus.
        await page.ClickAsync("[data-testid=register-submit]");
        await Assertions.Expect(page.Locator("#Input\\.Email")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#Input\\.Email-live-error")).ToHaveTextAsync("Enter your email address.");
        Assert.EndsWith("/Account/Register", page.Url);

        // Gender and constellation stay at "Prefer not to say".
        await Assertions.Expect(page.Locator("#Input\\.Constellation option:checked")).ToHaveTextAsync("Prefer not to say");
        await page.FillAsync("#Input\\.Email", email);
        await page.FillAsync("#Input\\.Nickname", "Journey");
        await page.FillAsync("#Input\\.DateOfBirth", "1990-08-01");
        await page.FillAsync("#Input\\.ConfirmPassword", password);
        await page.CheckAsync("#Input\\.AgreeToPolicy");
        await Assertions.Expect(page.Locator(".live-error:not(:empty)")).ToHaveCountAsync(0);
        await page.ClickAsync("[data-testid=register-submit]");

        // The number is proven with the code the phone receives, before the email is even confirmed.
        await page.WaitForURLAsync("**/Account/ConfirmPhone**");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await page.ClickAsync("[data-testid=phone-send]");
        await Assertions.Expect(page.Locator("[data-testid=phone-code-sent]")).ToContainTextAsync("139****5678");
        var code = await SmsReader.WaitForCodeAsync(fixture.Portal.SmsFolder, "13912345678");
        await page.FillAsync("#Check\\.Code", code);
        await page.ClickAsync("[data-testid=phone-check]");
        await Assertions.Expect(page.Locator("[data-testid=check-email]")).ToBeVisibleAsync();

        var mail = await fixture.Smtp.WaitForMessageAsync(email);
        await page.GotoAsync(mail.LinkTo("/Account/ConfirmEmail").PathAndQuery.TrimStart('/'));
        await Assertions.Expect(page.Locator("[data-testid=status-message]")).ToContainTextAsync("Thank you for confirming your email");

        await page.SignInAsync(email, password);
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=nav-my-data]")).ToHaveTextAsync("My data");

        await page.ClickAsync("[data-testid=lang-zh-CN]");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=nav-my-data]")).ToHaveTextAsync("我的数据");
        await Assertions.Expect(page.Locator("[data-testid=nav-my-requests]")).ToHaveTextAsync("我的申请");
        await Assertions.Expect(page.Locator("[data-testid=sign-out]")).ToHaveTextAsync("退出登录");

        await page.ClickAsync("[data-testid=nav-my-data]");
        await Assertions.Expect(page.Locator("[data-testid=profile-phone]")).ToHaveTextAsync("13912345678");
        await Assertions.Expect(page.Locator("[data-testid=profile-constellation]")).ToHaveTextAsync("未填写");

        await page.ClickAsync("[data-testid=sign-out]");
        await Assertions.Expect(page.Locator("[data-testid=sign-in]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=nav-my-data]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Someone_without_an_account_proves_their_email_makes_an_export_at_once_and_follows_it_from_the_emailed_link()
    {
        var page = await fixture.NewPageAsync();
        const string email = "no-account@example.com";

        await page.GotoAsync("Account/Login");
        await page.ClickAsync("[data-testid=make-request-without-account]");
        await page.FillAsync("#Send\\.Contact", email);
        // The browser solves the bot check before the form goes.
        await page.ClickAsync("[data-testid=intake-send]");
        await Assertions.Expect(page.Locator("[data-testid=intake-code-sent]")).ToContainTextAsync("n***@example.com");
        var codeMail = await fixture.Smtp.WaitForMessageAsync(email);
        var code = System.Text.RegularExpressions.Regex.Match(codeMail.TextBody ?? "", @"\b\d{6}\b").Value;
        await page.FillAsync("#Check\\.Code", code);
        await page.ClickAsync("[data-testid=intake-check]");

        // The code just typed is the step-up: the export opens without a second one.
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("[data-testid=type-Export]");
        await page.ClickAsync("[data-testid=request-submit]");
        await Assertions.Expect(page.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "Open");
        var reference = (await page.Locator("[data-testid=request-title]").TextContentAsync())!;

        // Another browser, with nothing but the link from the receipt, opens the request.
        var receipt = await fixture.Smtp.WaitForMessageAsync(email, m => (m.Subject ?? "").Contains(reference));
        var later = await fixture.NewPageAsync();
        await later.GotoAsync(receipt.LinkTo("/follow/").PathAndQuery.TrimStart('/'));
        await Assertions.Expect(later.Locator("[data-testid=request-title]")).ToHaveTextAsync(reference);
    }

    [Fact]
    public async Task Times_show_on_the_readers_own_clock_and_the_account_keeps_it_for_the_export()
    {
        const string zone = "America/New_York";
        var page = await fixture.SignedInPageAsync("guardian@demo.local", "my-data", timeZone: zone);

        DateTimeOffset created;
        await using (var db = fixture.Portal.CreateDbContext())
        {
            var user = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users, u => u.Email == "guardian@demo.local");
            // Signing in remembered the browser's zone: the export's cover page is written on this clock.
            Assert.Equal(zone, user.TimeZone);
            created = user.CreatedAt;
        }

        var expected = TimeZoneInfo.ConvertTime(created, TimeZoneInfo.FindSystemTimeZoneById(zone))
            .ToString("g", System.Globalization.CultureInfo.GetCultureInfo("en"));
        await Assertions.Expect(page.Locator("[data-testid=profile-created]")).ToHaveTextAsync(expected);
    }

    [Fact]
    public async Task Registration_errors_show_next_to_the_fields_in_the_chosen_language()
    {
        var page = await fixture.NewPageAsync("zh-CN");

        await page.GotoAsync("Account/Register");
        await page.FillAsync("#Input\\.Email", "someone@example.com");
        await page.FillAsync("#Input\\.PhoneNumber", "555-0100");
        await page.FillAsync("#Input\\.Password", "short");
        await page.ClickAsync("[data-testid=register-submit]");

        // The browser's check answers before anything is sent (the server's own check is in RegistrationTests).
        var messages = page.Locator(".live-error:not(:empty)");
        await Assertions.Expect(messages.First).ToBeVisibleAsync();
        var texts = await messages.AllTextContentsAsync();
        Assert.Contains(texts, t => t.Contains("手机号码"));
        Assert.Contains(texts, t => t.Contains("隐私政策"));
        Assert.All(texts, t => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", t));
    }
}
