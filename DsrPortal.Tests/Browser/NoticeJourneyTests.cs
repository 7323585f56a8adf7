using System.Net.Http.Json;
using System.Text.Json;
using DsrPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DsrPortal.Tests.Browser;

[Collection(SecondBrowserCollection.Name)]
public sealed class NoticeJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_supervisor_asks_consent_for_a_new_use_and_the_person_answers_at_their_next_sign_in()
    {
        const string email = "consent-journey@demo.local";
        await fixture.Portal.CreateSubjectAsync(email);

        // The supervisor adds a use that shares data with another company: it can only need consent.
        var supervisor = await fixture.SignedInPageAsync("supervisor@demo.local", "purposes");
        await supervisor.FillAsync("[data-testid=purpose-key]", "SurveyPartner");
        await supervisor.FillAsync("[data-testid=purpose-name-en]", "Surveys by Delta Research");
        await supervisor.FillAsync("[data-testid=purpose-name-zh]", "德尔塔调研的问卷");
        await supervisor.FillAsync("[data-testid=purpose-description-en]", "Your age and city are shared with Delta Research to invite you to surveys.");
        await supervisor.FillAsync("[data-testid=purpose-description-zh]", "您的年龄和城市将提供给德尔塔调研，用于邀请您参加问卷。");
        await supervisor.FillAsync("[data-testid=purpose-recipient]", "Delta Research Ltd");
        await supervisor.GetByTestId("purpose-add").ClickAsync();
        await Assertions.Expect(supervisor.GetByTestId("purpose-added")).ToBeVisibleAsync();
        await Assertions.Expect(supervisor.GetByTestId("purpose-SurveyPartner")).ToContainTextAsync("Only with consent");

        // ...and asks the person for it with a notice.
        await supervisor.GotoAsync("notices/send");
        await supervisor.WaitForInteractiveAsync();
        await supervisor.GetByTestId("notice-kind").SelectOptionAsync("NewPurpose");
        await supervisor.GetByTestId("notice-audience").SelectOptionAsync("List");
        await supervisor.GetByTestId("notice-purpose").SelectOptionAsync("SurveyPartner");
        await supervisor.FillAsync("[data-testid=notice-list]", email);
        await supervisor.FillAsync("[data-testid=notice-title-en]", "May we invite you to surveys?");
        await supervisor.FillAsync("[data-testid=notice-title-zh]", "可以邀请您参加问卷吗？");
        await supervisor.FillAsync("[data-testid=notice-body-en]", "Delta Research would like to invite you to paid surveys.");
        await supervisor.FillAsync("[data-testid=notice-body-zh]", "德尔塔调研希望邀请您参加有偿问卷。");
        await supervisor.GetByTestId("notice-send").ClickAsync();
        await supervisor.GetByTestId("notice-confirm").ClickAsync();
        await Assertions.Expect(supervisor.GetByTestId("notice-sent")).ToContainTextAsync("on its way to 1 person");

        // Until answered, the use does not apply. The person is asked on whatever page they open, and may put it off.
        var person = await fixture.SignedInPageAsync(email, "my-data");
        var prompt = person.GetByTestId("notice-prompt");
        await Assertions.Expect(prompt).ToContainTextAsync("May we invite you to surveys?");
        await Assertions.Expect(person.GetByTestId("choice-SurveyPartner")).ToContainTextAsync("Not allowed: you have not answered");
        await Assertions.Expect(person.GetByTestId("choice-recipient-SurveyPartner")).ToContainTextAsync("Delta Research Ltd");
        await person.GetByTestId("notice-later").ClickAsync();
        await Assertions.Expect(prompt).ToHaveCountAsync(0);
        await person.GotoAsync("requests");
        await person.WaitForInteractiveAsync();
        await Assertions.Expect(person.GetByTestId("notice-prompt")).ToHaveCountAsync(0);

        // Signed in again, they are asked again, and agree.
        var again = await fixture.SignedInPageAsync(email, "requests");
        await Assertions.Expect(again.GetByTestId("notice-prompt")).ToContainTextAsync("May we invite you to surveys?");
        await again.GetByTestId("notice-agree").ClickAsync();
        await Assertions.Expect(again.GetByTestId("notice-prompt")).ToHaveCountAsync(0);
        await again.GotoAsync("my-data");
        await again.WaitForInteractiveAsync();
        await Assertions.Expect(again.GetByTestId("choice-SurveyPartner")).ToContainTextAsync("Allowed");
        await Assertions.Expect(again.GetByTestId("choice-when-SurveyPartner")).ToContainTextAsync("(Web)");

        // The app sees the same, and the supervisor's figures count the answer.
        var app = await fixture.Portal.ApiClientAsync(email);
        var survey = (await app.GetFromJsonAsync<JsonElement>("/api/v1/me/preferences")).EnumerateArray().Single(p => p.GetProperty("purpose").GetString() == "SurveyPartner");
        Assert.Equal("Allowed", survey.GetProperty("decision").GetString());
        await supervisor.GetByTestId("notices-refresh").ClickAsync();
        var row = supervisor.Locator("[data-testid^=notice-row-]").First;
        await Assertions.Expect(row.GetByTestId("notice-agreed")).ToHaveTextAsync("1");
        await Assertions.Expect(row.GetByTestId("notice-read")).ToHaveTextAsync("1");
        await Assertions.Expect(row.GetByTestId("notice-people")).ToHaveTextAsync("1");
    }
}
