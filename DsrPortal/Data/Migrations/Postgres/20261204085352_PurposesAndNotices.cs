using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace DsrPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PurposesAndNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "NoticeId",
                table: "OutboxMessages",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Notices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    TitleEnglish = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TitleChinese = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    BodyEnglish = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    BodyChinese = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    PurposeKey = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    NeedsAnswer = table.Column<bool>(type: "boolean", nullable: false),
                    Audience = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AudienceCategory = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RecipientCount = table.Column<int>(type: "integer", nullable: false),
                    SentBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notices", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ProcessingPurposes",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Basis = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Recipient = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    NameEnglish = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    NameChinese = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    DescriptionEnglish = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    DescriptionChinese = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RetiredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProcessingPurposes", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "NoticeRecipients",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    NoticeId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    DeliveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReadAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Answer = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AnswerChannel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    DeferredInSession = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NoticeRecipients", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NoticeRecipients_Notices_NoticeId",
                        column: x => x.NoticeId,
                        principalTable: "Notices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "ProcessingPurposes",
                columns: new[] { "Key", "Basis", "CreatedAt", "DescriptionChinese", "DescriptionEnglish", "NameChinese", "NameEnglish", "Position", "Recipient", "RetiredAt" },
                values: new object[,]
                {
                    { "Advertising", "Refusable", new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), "根据您使用应用的情况挑选的广告（隐私政策第3条）。拒绝后：您看到的广告不再为您定向挑选。", "Advertisements chosen from how you use the app (policy clause 3). Refused: any advertisements you see are not chosen for you.", "为您定向推送的广告", "Advertising chosen for you", 2, null, null },
                    { "CrowdPortraits", "Refusable", new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), "根据特征标签形成的间接人群画像（隐私政策第3条）。拒绝后：您的信息不再用于人群画像。", "Indirect portraits of groups of users built from feature tags (policy clause 3). Refused: your data is left out of them.", "人群画像", "Crowd portraits", 3, null, null },
                    { "PersonalisedRecommendations", "Refusable", new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), "根据您的搜索、阅读和点赞挑选的内容和动态（隐私政策第1.4条和第3条）。拒绝后：您看到的内容不针对您的个人特征。", "Content and dynamics picked from what you search, read and like (policy clauses 1.4 and 3). Refused: you see content not chosen from your personal characteristics.", "个性化推荐", "Personalised recommendations", 1, null, null }
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_NoticeId",
                table: "OutboxMessages",
                column: "NoticeId");

            migrationBuilder.CreateIndex(
                name: "IX_NoticeRecipients_NoticeId",
                table: "NoticeRecipients",
                column: "NoticeId");

            migrationBuilder.CreateIndex(
                name: "IX_NoticeRecipients_UserId_NoticeId",
                table: "NoticeRecipients",
                columns: new[] { "UserId", "NoticeId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "NoticeRecipients");

            migrationBuilder.DropTable(
                name: "ProcessingPurposes");

            migrationBuilder.DropTable(
                name: "Notices");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_NoticeId",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "NoticeId",
                table: "OutboxMessages");
        }
    }
}
