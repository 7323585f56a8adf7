using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DsrPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditHeadSeedAndOutboxText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A database whose chain already started keeps its head (and its pseudonym key).
            migrationBuilder.Sql("""
                INSERT INTO "AuditHeads" ("Id", "LastHash", "LastSequence", "PseudonymKey", "Version") SELECT 1, '0000000000000000000000000000000000000000000000000000000000000000', 0, '', '7D0C3F1E-2A7B-4D55-9A3E-5F1B2C9E0A01' WHERE NOT EXISTS (SELECT 1 FROM "AuditHeads" WHERE "Id" = 1);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DeleteData(
                table: "AuditHeads",
                keyColumn: "Id",
                keyValue: 1);
        }
    }
}
