using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class RequestJourneyTests(BrowserFixture fixture)
{
    /// <summary>Submits an export and confirms it with the code sent to the requester's phone, as an export needs.</summary>
    private async Task<string> SubmitExportAsync(IPage subject, string phone)
    {
        await subject.GotoAsync("requests/new");
        await subject.WaitForInteractiveAsync();
        await subject.ClickAsync("[data-testid=type-Export]");
        await subject.FillAsync("[data-testid=request-description]", "Please include my reading records.");
        await subject.ClickAsync("[data-testid=request-submit]");
        await Assertions.Expect(subject.Locator("[data-testid=request-title]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^DSR-\d{4}-\d{6}$"));
        await subject.WaitForInteractiveAsync();
        await subject.ConfirmItIsMeAsync(fixture.Portal.SmsFolder, phone);
        return (await subject.Locator("[data-testid=request-title]").TextContentAsync())!;
    }

    [Fact]
    public async Task A_subject_and_an_agent_take_a_request_from_submission_to_completion()
    {
        // This subject's browser reads Tokyo time: the export's cover page tells its time on that clock.
        var subject = await fixture.SignedInPageAsync("subject@demo.local", "requests/new", timeZone: "Asia/Tokyo");
        var reference = await SubmitExportAsync(subject, ServiceDb.SubjectPhone);
        await Assertions.Expect(subject.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "Open");
        var requestUrl = subject.Url;

        var agent = await fixture.SignedInPageAsync("agent@demo.local", "queue");
        await agent.FillAsync("[data-testid=filter-search]", reference);
        await agent.ClickAsync($"[data-testid=queue-reference]:has-text('{reference}')");
        await agent.WaitForInteractiveAsync();
        await Assertions.Expect(agent.Locator("[data-testid=requester-email]")).ToHaveTextAsync("s***@demo.local");
        // The deadline sits beside the reference, above the decision.
        var deadline = agent.Locator("[data-testid=title-deadline] [data-testid=due-date]");
        await Assertions.Expect(deadline).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\d{4}"));
        Assert.True((await deadline.BoundingBoxAsync())!.Y < (await agent.Locator("[data-testid=action-claim]").BoundingBoxAsync())!.Y);
        await agent.ClickAsync("[data-testid=action-claim]");
        await agent.ClickAsync("[data-testid=action-ask]");
        await agent.FillAsync("[data-testid=action-text]", "Which nickname did you use in 2025?");
        await agent.ClickAsync("[data-testid=action-confirm]");
        await Assertions.Expect(agent.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "AwaitingRequester");

        // The subject's open page follows live: the question appears, and the answer resumes the clock.
        await Assertions.Expect(subject.Locator("[data-testid=message-body]")).ToHaveTextAsync("Which nickname did you use in 2025?");
        await subject.FillAsync("[data-testid=message-input]", "It was Lin.");
        await subject.ClickAsync("[data-testid=message-send]");
        await Assertions.Expect(subject.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "InProgress");

        await Assertions.Expect(agent.Locator("[data-testid=message-body]").Last).ToHaveTextAsync("It was Lin.");
        await agent.ClickAsync("[data-testid=action-extend]");
        await agent.FillAsync("[data-testid=action-text]", "Older records are archived.");
        await agent.ClickAsync("[data-testid=action-confirm]");
        await Assertions.Expect(agent.Locator("[data-testid=extension]")).ToHaveTextAsync("Older records are archived.");
        await agent.ClickAsync("[data-testid=action-approve]");
        // The portal builds the package itself; the agent's page follows it to the end.
        await Assertions.Expect(agent.Locator("[data-testid=action-complete]")).ToHaveCountAsync(0);
        await Assertions.Expect(agent.Locator("[data-testid=closed]")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await subject.GotoAsync(requestUrl);
        await subject.WaitForInteractiveAsync();
        await Assertions.Expect(subject.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "Completed");
        await Assertions.Expect(subject.Locator("[data-testid=timeline-entry]")).ToContainTextAsync(["Request received", "Status: Open", "An agent took on the request"]);

        // The download: a ZIP whose cover page opens in the browser, in the subject's language.
        var download = await subject.RunAndWaitForDownloadAsync(() => subject.ClickAsync("[data-testid=export-download]"));
        Assert.Equal($"{reference}-export.zip", download.SuggestedFilename);
        var folder = Directory.CreateTempSubdirectory("dsr-export-").FullName;
        var zipPath = Path.Combine(folder, "export.zip");
        await download.SaveAsAsync(zipPath);
        System.IO.Compression.ZipFile.ExtractToDirectory(zipPath, folder);
        Assert.True(File.Exists(Path.Combine(folder, "manifest.json")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, "media", "Photos")));
        var cover = await fixture.NewPageAsync();
        await cover.GotoAsync(new Uri(Path.Combine(folder, "index.html")).AbsoluteUri);
        await Assertions.Expect(cover.Locator("h1")).ToHaveTextAsync($"Your data: export {reference}");
        await Assertions.Expect(cover.Locator("table")).ToContainTextAsync("Reading records and visit times");
        // Every file of the package is linked from the cover and there once unzipped; photos are previewed.
        var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json"))).RootElement;
        var listed = manifest.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).Where(p => p != "index.html").ToList();
        var linked = (await cover.Locator("a[href]").EvaluateAllAsync<string[]>("links => links.map(a => decodeURIComponent(a.getAttribute('href')))")).ToHashSet();
        Assert.All(listed, path => Assert.Contains(path, linked));
        Assert.All(linked, path => Assert.True(File.Exists(Path.Combine(folder, path)), $"{path} is linked but not in the package"));
        var photos = cover.Locator("ul.media img");
        Assert.True(await photos.CountAsync() > 0, "no photo previewed");
        // Previews load lazily, as the reader scrolls to them.
        await photos.First.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(photos.First).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await photos.First.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the first photo did not load");
        await Assertions.Expect(cover.Locator("p").First).ToContainTextAsync("(Asia/Tokyo, UTC+09:00)");
        Assert.Empty(await cover.ViolationsAsync());
        Directory.Delete(folder, recursive: true);

        // Every step reached the subject's inbox through the real SMTP listener, the request to confirm it first.
        var subjects = await WaitForEmailsAsync(reference, 7);
        Assert.Equal(7, subjects.Count);
        Assert.Contains(subjects, s => s.StartsWith("Confirm it is you", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deletion_of_chosen_categories_is_previewed_approved_carried_out_and_shows_on_my_data()
    {
        var minor = await fixture.SignedInPageAsync("minor@demo.local", "my-data");
        await Assertions.Expect(minor.Locator("[data-testid=count-Photos]")).Not.ToHaveTextAsync("None");

        await minor.GotoAsync("requests/new");
        await minor.WaitForInteractiveAsync();
        await minor.ClickAsync("[data-testid=type-Deletion]");
        await minor.ClickAsync("[data-testid=scope-SelectedCategories]");
        await minor.CheckAsync("[data-testid=category-Photos]");
        await minor.CheckAsync("[data-testid=category-SearchRecords]");
        await minor.ClickAsync("[data-testid=request-submit]");
        // Before anything happens, the requester sees what will go.
        await Assertions.Expect(minor.Locator("[data-testid=preview-Photos-DeleteRows]")).ToBeVisibleAsync();
        await Assertions.Expect(minor.Locator("[data-testid=preview-SearchRecords-DeleteRows]")).ToContainTextAsync("Deleted");
        var reference = (await minor.Locator("[data-testid=request-title]").TextContentAsync())!;
        var id = minor.Url.Split('/').Last();
        await minor.WaitForInteractiveAsync();
        await minor.ConfirmItIsMeAsync(fixture.Portal.SmsFolder, "13800000003");

        var agent = await fixture.SignedInPageAsync("agent@demo.local", $"queue/{id}");
        await Assertions.Expect(agent.Locator("[data-testid=erasure-preview]")).ToContainTextAsync("Photos you uploaded");
        await agent.ClickAsync("[data-testid=action-claim]");
        await agent.ClickAsync("[data-testid=action-approve]");
        await Assertions.Expect(agent.Locator("[data-testid=closed]")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await Assertions.Expect(minor.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "Completed");
        // The finished request says what went, not what was planned.
        await Assertions.Expect(minor.Locator("[data-testid=outcome-Photos-DeleteRows]")).ToContainTextAsync("Deleted");
        await Assertions.Expect(minor.Locator("[data-testid=outcome-SearchRecords-DeleteRows]")).ToContainTextAsync("Deleted");
        await Assertions.Expect(minor.Locator("[data-testid=erasure-preview]")).ToHaveCountAsync(0);
        await minor.GotoAsync("my-data");
        await Assertions.Expect(minor.Locator("[data-testid=count-Photos]")).ToHaveTextAsync("None");
        await Assertions.Expect(minor.Locator("[data-testid=count-SearchRecords]")).ToHaveTextAsync("None");
        await Assertions.Expect(minor.Locator("[data-testid=count-Comments]")).Not.ToHaveTextAsync("None");
        Assert.NotEmpty(await WaitForEmailsAsync(reference, 3));
    }

    [Fact]
    public async Task A_correction_is_proposed_field_by_field_and_the_agent_accepts_one_and_refuses_the_other()
    {
        var subject = await fixture.SignedInPageAsync("guardian@demo.local", "requests/new");
        await subject.ClickAsync("[data-testid=type-Correction]");
        await Assertions.Expect(subject.Locator("[data-testid=\"current-Profile.nickname\"]")).ToHaveTextAsync("Chen");
        await subject.FillAsync("[data-testid=\"proposed-Profile.nickname\"]", "Chen Wei");
        await subject.FillAsync("[data-testid=\"proposed-Profile.constellation\"]", "Gemini");
        await subject.PressAsync("[data-testid=\"proposed-Profile.constellation\"]", "Tab");
        await subject.ClickAsync("[data-testid=request-submit]");
        await Assertions.Expect(subject.Locator("[data-testid=correction-items]")).ToContainTextAsync("Chen Wei");
        var id = subject.Url.Split('/').Last();

        var agent = await fixture.SignedInPageAsync("agent@demo.local", $"queue/{id}");
        await agent.ClickAsync("[data-testid=action-claim]");
        await Assertions.Expect(agent.Locator("[data-testid=action-approve]")).ToHaveCountAsync(0);
        await agent.ClickAsync("[data-testid=\"accept-Profile.nickname\"]");
        await agent.ClickAsync("[data-testid=\"refuse-Profile.constellation\"]");
        await agent.FillAsync("[data-testid=\"reason-Profile.constellation\"]", "Your registration shows Taurus; send proof of your birthday.");
        await agent.PressAsync("[data-testid=\"reason-Profile.constellation\"]", "Tab");
        await agent.ClickAsync("[data-testid=correction-apply]");
        await Assertions.Expect(agent.Locator("[data-testid=closed]")).ToBeVisibleAsync();

        await subject.GotoAsync($"requests/{id}");
        await Assertions.Expect(subject.Locator("[data-testid=outcome-note]")).ToContainTextAsync("Nickname: changed to \"Chen Wei\".");
        await Assertions.Expect(subject.Locator("[data-testid=outcome-note]")).ToContainTextAsync("Constellation: not changed. Your registration shows Taurus");
        Assert.Equal("Chen Wei", fixture.Portal.ServiceScalar("SELECT nickname FROM users WHERE phone = @v", ServiceDb.GuardianPhone));
        Assert.Equal("Taurus", fixture.Portal.ServiceScalar("SELECT constellation FROM users WHERE phone = @v", ServiceDb.GuardianPhone));
    }

    [Fact]
    public async Task Logging_off_says_what_will_happen_and_when_and_asks_before_making_the_request()
    {
        var subject = await fixture.SignedInPageAsync("guardian@demo.local", "requests/new");
        await subject.ClickAsync("[data-testid=type-Deletion]");
        await subject.ClickAsync("[data-testid=scope-WholeAccount]");

        // Kept: nothing is made.
        await subject.ClickAsync("[data-testid=request-submit]");
        var dialog = subject.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Log off and delete your account?");
        await Assertions.Expect(dialog).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"deleted after \d+ days"));
        await Assertions.Expect(dialog).ToContainTextAsync("cannot be undone");
        await subject.ClickAsync(".mud-dialog-actions button:has-text('Keep the account')");
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.EndsWith("/requests/new", subject.Url);

        // Confirmed: the request is made, and its page says what the deletion will do, in plain words.
        await subject.ClickAsync("[data-testid=request-submit]");
        await subject.ClickAsync(".mud-dialog-actions button:has-text('Yes, log off')");
        await Assertions.Expect(subject.Locator("[data-testid=request-title]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^DSR-\d{4}-\d{6}$"));
        await Assertions.Expect(subject.Locator("[data-testid=erasure-preview-kept]")).ToContainTextAsync("anonymised last");
        await Assertions.Expect(subject.Locator("[data-testid=erasure-preview]")).Not.ToContainTextAsync("password");

        // Withdrawn again, so the demo guardian keeps their account for the other journeys.
        await subject.WaitForInteractiveAsync();
        await subject.ClickAsync("[data-testid=withdraw]");
        await subject.ClickAsync(".mud-dialog-actions button:has-text('Withdraw')");
        await Assertions.Expect(subject.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "Withdrawn");
    }

    [Fact]
    public async Task A_subject_withdraws_and_the_request_list_says_what_happens_next()
    {
        var subject = await fixture.SignedInPageAsync("guardian@demo.local", "requests/new");
        var reference = await SubmitExportAsync(subject, ServiceDb.GuardianPhone);

        await subject.ClickAsync("[data-testid=withdraw]");
        await subject.ClickAsync(".mud-dialog-actions button:has-text('Withdraw')");
        await Assertions.Expect(subject.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "Withdrawn");

        await subject.GotoAsync("requests");
        var row = subject.Locator("[data-testid=my-requests] tr", new() { HasText = reference });
        await Assertions.Expect(row).ToContainTextAsync("You withdrew this request.");
    }

    [Fact]
    public async Task An_agents_open_request_page_shows_a_colleagues_change_live()
    {
        var subject = await fixture.SignedInPageAsync("minor@demo.local", "requests/new");
        var reference = await SubmitExportAsync(subject, "13800000003");
        var id = subject.Url.Split('/').Last();

        var agent = await fixture.SignedInPageAsync("agent@demo.local", $"queue/{id}");
        var supervisor = await fixture.SignedInPageAsync("supervisor@demo.local", $"queue/{id}");
        await supervisor.ClickAsync("[data-testid=action-claim]");

        await Assertions.Expect(agent.Locator("[data-testid=changed-elsewhere]")).ToBeVisibleAsync();
        await Assertions.Expect(agent.Locator("[data-testid=assigned-elsewhere]")).ToBeVisibleAsync();
        await Assertions.Expect(agent.Locator("[data-testid=action-claim]")).ToHaveCountAsync(0);
        Assert.Contains(reference, await agent.Locator("[data-testid=request-title]").TextContentAsync());
    }

    [Fact]
    public async Task A_subject_asks_for_a_deletion_a_correction_and_a_dispute()
    {
        var subject = await fixture.SignedInPageAsync("subject@demo.local", "requests/new");

        await subject.ClickAsync("[data-testid=type-Deletion]");
        await subject.ClickAsync("[data-testid=scope-SelectedCategories]");
        await subject.ClickAsync("[data-testid=request-submit]");
        await Assertions.Expect(subject.Locator("[data-testid=request-form-errors]")).ToContainTextAsync("Choose at least one category of data to delete.");
        await subject.CheckAsync("[data-testid=category-SearchRecords]");
        await subject.ClickAsync("[data-testid=request-submit]");
        await Assertions.Expect(subject.Locator("[data-testid=request-summary]")).ToContainTextAsync("Search records");

        await subject.GotoAsync("requests/new");
        await subject.WaitForInteractiveAsync();
        await subject.ClickAsync("[data-testid=type-Correction]");
        await subject.FillAsync("[data-testid=correction-field]", "Constellation");
        await subject.FillAsync("[data-testid=correction-current]", "Libra");
        await subject.FillAsync("[data-testid=correction-proposed]", "Scorpio");
        await subject.ClickAsync("[data-testid=request-submit]");
        await Assertions.Expect(subject.Locator("[data-testid=request-summary]")).ToContainTextAsync("Scorpio");

        await subject.GotoAsync("requests/new");
        await subject.WaitForInteractiveAsync();
        await subject.ClickAsync("[data-testid=type-Dispute]");
        await subject.ClickAsync("[data-testid=dispute-subject]");
        await subject.ClickAsync(".mud-popover-open .mud-list-item:has-text('Use of my data for advertising')");
        // The select re-renders the form as its popover closes: type only after that, and leave the field so its value is sent.
        await Assertions.Expect(subject.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await subject.FillAsync("[data-testid=request-description]", "Please stop using my reading records for ads.");
        await subject.PressAsync("[data-testid=request-description]", "Tab");
        await subject.ClickAsync("[data-testid=request-submit]");
        await Assertions.Expect(subject.Locator("[data-testid=request-summary]")).ToContainTextAsync("Use of my data for advertising");

        await subject.GotoAsync("requests");
        await Assertions.Expect(subject.Locator("[data-testid=my-requests]")).ToContainTextAsync("Dispute");
        await Assertions.Expect(subject.Locator("[data-testid=my-requests]")).ToContainTextAsync("Correction");
        await Assertions.Expect(subject.Locator("[data-testid=my-requests]")).ToContainTextAsync("Deletion");
    }

    [Fact]
    public async Task An_agent_logs_a_phone_request_and_the_subject_follows_it_as_their_own()
    {
        var agent = await fixture.SignedInPageAsync("agent@demo.local", "queue/new");
        await agent.WaitForInteractiveAsync();
        await agent.FillAsync("[data-testid=log-subject]", "guardian@demo.local");
        // An export by phone: the caller reads back the code the portal sends to the account's proven number.
        var seen = SmsReader.To(fixture.Portal.SmsFolder, ServiceDb.GuardianPhone).Count(m => m.Code is not null);
        await agent.ClickAsync("[data-testid=log-send-code]");
        await Assertions.Expect(agent.Locator("[data-testid=log-code-sent]")).ToContainTextAsync("138****0002");
        await agent.FillAsync("[data-testid=log-code]", await SmsReader.WaitForCodeAsync(fixture.Portal.SmsFolder, ServiceDb.GuardianPhone, seen));
        await agent.ClickAsync("[data-testid=log-check-code]");
        await Assertions.Expect(agent.Locator("[data-testid=log-code-confirmed]")).ToBeVisibleAsync();
        await agent.ClickAsync("[data-testid=log-check-KnowsAccountDetails]");
        await agent.ClickAsync("[data-testid=type-Export]");
        await agent.ClickAsync("[data-testid=log-submit]");
        await Assertions.Expect(agent.Locator("[data-testid=verification]")).ToContainTextAsync("the caller read back a code sent to the account's proven mobile number");
        await Assertions.Expect(agent.Locator("[data-testid=status-chip]").First).ToHaveAttributeAsync("data-status", "Open");
        var reference = (await agent.Locator("[data-testid=request-title]").TextContentAsync())!;

        var subject = await fixture.SignedInPageAsync("guardian@demo.local", "requests");
        await Assertions.Expect(subject.Locator("[data-testid=my-requests]")).ToContainTextAsync(reference);
        await Assertions.Expect(subject.Locator("[data-testid=my-requests] tr", new() { HasText = reference })).ToContainTextAsync("Phone");
        Assert.NotEmpty(await WaitForEmailsAsync(reference, 1));
    }

    /// <summary>The subjects of the emails about a request, once at least <paramref name="count"/> have arrived.</summary>
    private async Task<List<string>> WaitForEmailsAsync(string reference, int count) =>
        [.. (await fixture.Smtp.WaitForMessagesAsync(m => (m.HtmlBody ?? "").Contains(reference), count, $"about {reference}")).Select(m => m.Subject ?? "")];
}
