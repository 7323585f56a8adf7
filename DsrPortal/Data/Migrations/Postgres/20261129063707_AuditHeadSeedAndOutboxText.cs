using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DsrPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditHeadSeedAndOutboxText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Values",
                table: "OutboxMessages",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(8000)",
                oldMaxLength: 8000);

            // A database whose chain already started keeps its head (and its pseudonym key).
            migrationBuilder.Sql("""
                INSERT INTO "AuditHeads" ("Id", "LastHash", "LastSequence", "PseudonymKey", "Version") SELECT 1, '0000000000000000000000000000000000000000000000000000000000000000', 0, '', '7d0c3f1e-2a7b-4d55-9a3e-5f1b2c9e0a01' WHERE NOT EXISTS (SELECT 1 FROM "AuditHeads" WHERE "Id" = 1);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DeleteData(
                table: "AuditHeads",
                keyColumn: "Id",
                keyValue: 1);

            migrationBuilder.AlterColumn<string>(
                name: "Values",
                table: "OutboxMessages",
                type: "character varying(8000)",
                maxLength: 8000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");
        }
    }
}
