using System.Net;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Policies;
using DsrPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DsrPortal.Tests.Features.Accounts;

public sealed class RegistrationTests(RegistrationTests.Portal portal) : IClassFixture<RegistrationTests.Portal>
{
    public sealed class Portal() : PortalFactoryFixture;

    [Fact]
    public async Task A_person_registers_confirms_by_email_and_signs_in()
    {
        var client = portal.Factory.CreateBrowserLikeClient();
        const string email = "xiaohong@example.com";

        var registered = await client.PostFormAsync("/Account/Register", PortalForms.Registration(email), "register");

        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        // Next comes proving the mobile number; until then it is stored but matches nothing.
        Assert.StartsWith("/Account/ConfirmPhone?ticket=", registered.RedirectPath());

        await using (var db = portal.Factory.CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Email == email);
            Assert.False(user.EmailConfirmed);
            Assert.Equal("Xiaohong", user.Nickname);
            Assert.Equal(new DateOnly(1995, 3, 8), user.DateOfBirth);
            // The number is stored encrypted: neither it nor its digits appear in the row.
            Assert.NotNull(user.ProtectedPhoneNumber);
            Assert.DoesNotContain("13912345678", user.ProtectedPhoneNumber);
            Assert.Null(user.PhoneNumber);
            Assert.False(user.PhoneNumberConfirmed);
            Assert.Null(user.PhoneNumberIndex);
            Assert.Equal("13912345678", portal.Factory.Services.GetRequiredService<PhoneNumberProtector>().Unprotect(user.ProtectedPhoneNumber));
            var consent = await db.ConsentRecords.Include(c => c.PolicyVersion).SingleAsync(c => c.UserId == user.Id);
            Assert.Equal(("1", ConsentDecision.Agreed, ConsentChannel.Web), (consent.PolicyVersion!.Version, consent.Decision, consent.Channel));
            var roles = await db.UserRoles.Where(r => r.UserId == user.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync();
            Assert.Equal([PortalRoles.Subject], roles);
        }

        var signInBeforeConfirming = await client.PostFormAsync("/Account/Login", PortalForms.Login(email, "correct horse battery staple"), "login");
        Assert.Equal(HttpStatusCode.OK, signInBeforeConfirming.StatusCode);
        Assert.Contains("confirm your email address first", await signInBeforeConfirming.Content.ReadAsStringAsync());

        var mail = MailReader.ReadPickupFolder(portal.Factory.PickupFolder).SingleTo(email);
        Assert.Contains("Confirm your email", mail.Subject);
        var confirmed = await client.GetAsync(mail.LinkTo("/Account/ConfirmEmail").PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        var signedIn = await client.PostFormAsync("/Account/Login", PortalForms.Login(email, "correct horse battery staple"), "login");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var home = await client.GetStringAsync("/");
        Assert.Contains($"Signed in as {email}", home);
    }

    [Theory]
    [InlineData("Input.PhoneNumber", "12345", "Enter an 11-digit mainland China mobile number")]
    [InlineData("Input.Password", "too short", "Use a password of 12 to 128 characters")]
    [InlineData("Input.ConfirmPassword", "something else entirely", "The two passwords do not match.")]
    [InlineData("Input.AgreeToPolicy", "false", "You must agree to the privacy policy to register.")]
    [InlineData("Input.Email", "not-an-email", "Enter a valid email address.")]
    [InlineData("Input.Nickname", "", "Choose a nickname.")]
    [InlineData("Input.DateOfBirth", "2999-01-01", "Enter a real date of birth in the past.")]
    public async Task Bad_input_is_explained_on_the_form_and_creates_nothing(string field, string value, string message)
    {
        var client = portal.Factory.CreateBrowserLikeClient();
        var email = $"bad-{Guid.NewGuid():N}@example.com";
        var fields = PortalForms.Registration(email);
        fields[field] = value;

        var response = await client.PostFormAsync("/Account/Register", fields, "register");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ParseAsync();
        Assert.Contains(page.QuerySelectorAll(".validation-message"), m => m.TextContent.Contains(message));
        await using var db = portal.Factory.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == email || u.Email == value));
    }

    [Fact]
    public async Task Bad_input_is_explained_in_Chinese_to_a_Chinese_browser()
    {
        var client = portal.Factory.CreateBrowserLikeClient(acceptLanguage: "zh-CN,zh;q=0.9");
        var fields = PortalForms.Registration($"zh-{Guid.NewGuid():N}@example.com");
        fields["Input.PhoneNumber"] = "12345";
        fields["Input.AgreeToPolicy"] = "false";

        var page = await (await client.PostFormAsync("/Account/Register", fields, "register")).ParseAsync();

        var messages = page.QuerySelectorAll(".validation-message").Select(m => m.TextContent).ToList();
        Assert.Contains(messages, m => m.Contains("手机号码"));
        Assert.Contains(messages, m => m.Contains("隐私政策"));
        Assert.DoesNotContain(messages, m => m.Contains("mainland China"));
        Assert.Equal("注册", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task A_second_account_with_the_same_email_is_refused_with_a_clear_message()
    {
        var client = portal.Factory.CreateBrowserLikeClient();
        const string email = "twice@example.com";
        await client.PostFormAsync("/Account/Register", PortalForms.Registration(email), "register");

        var again = await client.PostFormAsync("/Account/Register", PortalForms.Registration(email.ToUpperInvariant()), "register");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var errors = (await again.ParseAsync()).QuerySelector("[data-testid=form-errors]")!.TextContent;
        Assert.Contains("An account with this email address already exists", errors);
        await using var db = portal.Factory.CreateDbContext();
        Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == email.ToUpperInvariant()));
        Assert.Equal(1, await db.ConsentRecords.CountAsync(c => db.Users.Any(u => u.Id == c.UserId && u.NormalizedEmail == email.ToUpperInvariant())));
    }

    [Fact]
    public async Task A_long_passphrase_without_digits_or_symbols_is_accepted()
    {
        var client = portal.Factory.CreateBrowserLikeClient();
        var fields = PortalForms.Registration("passphrase@example.com");
        fields["Input.Password"] = fields["Input.ConfirmPassword"] = "the quick brown fox jumps over the lazy dog again and again";

        var response = await client.PostFormAsync("/Account/Register", fields, "register");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
