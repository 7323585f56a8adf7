using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DsrPortal.Data.Migrations.Postgres
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
                type: "character varying(128)",
                maxLength: 128,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(128)",
                oldMaxLength: 128);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PublishedAt",
                table: "PolicyVersions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublishedBy",
                table: "PolicyVersions",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SummaryChinese",
                table: "PolicyVersions",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SummaryEnglish",
                table: "PolicyVersions",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TextChinese",
                table: "PolicyVersions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TextEnglish",
                table: "PolicyVersions",
                type: "text",
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
                type: "character varying(128)",
                maxLength: 128,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(128)",
                oldMaxLength: 128,
                oldNullable: true);
        }
    }
}
