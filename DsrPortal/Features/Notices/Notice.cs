using DsrPortal.Features.Policies;
using DsrPortal.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DsrPortal.Features.Notices;

public enum NoticeKind
{
    /// <summary>The privacy policy changed (clause 5); agreeing is asked by the policy prompt.</summary>
    PolicyChange = 1,

    /// <summary>A new purpose or sharing that applies only with the person's express consent: the notice asks for it.</summary>
    NewPurpose = 2,

    /// <summary>A merger, acquisition or reorganisation that moves the data to another company (PIPL Art. 22).</summary>
    Merger = 3,

    /// <summary>A personal-information breach that affects the person (PIPL Art. 57).</summary>
    Breach = 4,

    /// <summary>The service is ending on a date, after which the data is erased or anonymised (clause 2.2).</summary>
    EndOfService = 5,
}

/// <summary>Who a notice goes to.</summary>
public enum NoticeAudience
{
    Everyone = 1,

    /// <summary>The people the portal holds data of one category for (a breach of the photo store reaches those with photos).</summary>
    HoldingCategory = 2,

    /// <summary>The accounts of a list of email addresses and mobile numbers.</summary>
    List = 3,
}

public enum NoticeAnswer
{
    Agreed = 1,
    Declined = 2,
}

/// <summary>
/// A notice the company must give people, in both languages, sent once to a fixed set of recipients. Its text is
/// what the supervisor wrote; nothing in it is personal.
/// </summary>
public sealed class Notice
{
    public const int TitleMaxLength = 200;
    public const int BodyMaxLength = 8000;

    public long Id { get; set; }

    public NoticeKind Kind { get; set; }

    public required string TitleEnglish { get; set; }

    public required string TitleChinese { get; set; }

    public required string BodyEnglish { get; set; }

    public required string BodyChinese { get; set; }

    /// <summary>For <see cref="NoticeKind.NewPurpose"/>: the purpose agreeing consents to.</summary>
    public string? PurposeKey { get; set; }

    /// <summary>Whether the notice asks Agree or Decline; it blocks nothing, but is asked again until answered.</summary>
    public bool NeedsAnswer { get; set; }

    public NoticeAudience Audience { get; set; }

    /// <summary>The category code for <see cref="NoticeAudience.HoldingCategory"/>; never the list itself.</summary>
    public string? AudienceCategory { get; set; }

    public int RecipientCount { get; set; }

    public required string SentBy { get; set; }

    public DateTimeOffset SentAt { get; set; }

    public string Title(string culture) => PortalCultures.Normalize(culture) == PortalCultures.SimplifiedChinese ? TitleChinese : TitleEnglish;

    public string Body(string culture) => PortalCultures.Normalize(culture) == PortalCultures.SimplifiedChinese ? BodyChinese : BodyEnglish;
}

/// <summary>One person a notice went to, with what became of it: delivered by email or text, read, answered.</summary>
public sealed class NoticeRecipient
{
    public long Id { get; set; }

    public long NoticeId { get; set; }

    public required string UserId { get; set; }

    /// <summary>When the email or text message left; null while queued or when it could not be delivered.</summary>
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>When the person first opened it, in the portal or the app.</summary>
    public DateTimeOffset? ReadAt { get; set; }

    public NoticeAnswer? Answer { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public ConsentChannel? AnswerChannel { get; set; }

    /// <summary>The sign-in session in which the person said "Later": asked again at the next sign-in.</summary>
    public Guid? DeferredInSession { get; set; }
}

internal sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> builder)
    {
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.Audience).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.TitleEnglish).HasMaxLength(Notice.TitleMaxLength);
        builder.Property(n => n.TitleChinese).HasMaxLength(Notice.TitleMaxLength);
        builder.Property(n => n.BodyEnglish).HasMaxLength(Notice.BodyMaxLength);
        builder.Property(n => n.BodyChinese).HasMaxLength(Notice.BodyMaxLength);
        builder.Property(n => n.PurposeKey).HasMaxLength(Preferences.ProcessingPurpose.KeyMaxLength);
        builder.Property(n => n.AudienceCategory).HasMaxLength(64);
        builder.Property(n => n.SentBy).HasMaxLength(450);
    }
}

internal sealed class NoticeRecipientConfiguration : IEntityTypeConfiguration<NoticeRecipient>
{
    public void Configure(EntityTypeBuilder<NoticeRecipient> builder)
    {
        builder.Property(r => r.UserId).HasMaxLength(450);
        builder.Property(r => r.Answer).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.AnswerChannel).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Notice>().WithMany().HasForeignKey(r => r.NoticeId).OnDelete(DeleteBehavior.Cascade);
        // A person's notices (the inbox and the prompt), and one row per person per notice.
        builder.HasIndex(r => new { r.UserId, r.NoticeId }).IsUnique();
        builder.HasIndex(r => r.NoticeId);
    }
}
