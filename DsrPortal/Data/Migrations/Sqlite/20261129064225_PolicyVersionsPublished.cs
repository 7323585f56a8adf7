using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DsrPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PolicyVersionsPublished : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "DocumentName",
                table: "PolicyVersions",
                type: "TEXT",
                maxLength: 128,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 128);

            migrationBuilder.AddColumn<long>(
                name: "PublishedAt",
                table: "PolicyVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublishedBy",
                table: "PolicyVersions",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SummaryChinese",
                table: "PolicyVersions",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SummaryEnglish",
                table: "PolicyVersions",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TextChinese",
                table: "PolicyVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TextEnglish",
                table: "PolicyVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.UpdateData(
                table: "PolicyVersions",
                keyColumn: "Id",
                keyValue: 1,
                columns: new[] { "PublishedAt", "PublishedBy", "SummaryChinese", "SummaryEnglish", "TextChinese", "TextEnglish" },
                values: new object[] { null, null, null, null, null, null });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PublishedAt",
                table: "PolicyVersions");

            migrationBuilder.DropColumn(
                name: "PublishedBy",
                table: "PolicyVersions");

            migrationBuilder.DropColumn(
                name: "SummaryChinese",
                table: "PolicyVersions");

            migrationBuilder.DropColumn(
                name: "SummaryEnglish",
                table: "PolicyVersions");

            migrationBuilder.DropColumn(
                name: "TextChinese",
                table: "PolicyVersions");

            migrationBuilder.DropColumn(
                name: "TextEnglish",
                table: "PolicyVersions");

            migrationBuilder.AlterColumn<string>(
                name: "DocumentName",
                table: "PolicyVersions",
                type: "TEXT",
                maxLength: 128,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 128,
                oldNullable: true);
        }
    }
}
