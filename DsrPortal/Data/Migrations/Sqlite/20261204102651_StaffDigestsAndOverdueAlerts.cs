using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DsrPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StaffDigestsAndOverdueAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OverdueAlerts",
                columns: table => new
                {
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OverdueAlerts", x => new { x.RequestId, x.DueAt });
                });

            migrationBuilder.CreateTable(
                name: "StaffDigests",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StaffDigests", x => new { x.UserId, x.Day });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OverdueAlerts");

            migrationBuilder.DropTable(
                name: "StaffDigests");
        }
    }
}
