using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DsrPortal.Data.Migrations.Postgres
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
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OverdueAlerts", x => new { x.RequestId, x.DueAt });
                });

            migrationBuilder.CreateTable(
                name: "StaffDigests",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false)
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
