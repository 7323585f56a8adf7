using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DsrPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ServiceEnd : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ServiceEndEnrolments",
                columns: table => new
                {
                    ProgramId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceEndEnrolments", x => new { x.ProgramId, x.UserId });
                });

            migrationBuilder.CreateTable(
                name: "ServiceEndPrograms",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AnnouncedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    NoticeId = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    EnrolCursor = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Enrolled = table.Column<int>(type: "INTEGER", nullable: false),
                    SweepSource = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SweepCursor = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    Swept = table.Column<int>(type: "INTEGER", nullable: false),
                    ProtectedSweepPlan = table.Column<string>(type: "TEXT", nullable: true),
                    SweepTally = table.Column<string>(type: "TEXT", nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Report = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceEndPrograms", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceEndEnrolments_RequestId",
                table: "ServiceEndEnrolments",
                column: "RequestId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ServiceEndEnrolments");

            migrationBuilder.DropTable(
                name: "ServiceEndPrograms");
        }
    }
}
