using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace DsrPortal.Data.Migrations.Postgres
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
                    ProgramId = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceEndEnrolments", x => new { x.ProgramId, x.UserId });
                });

            migrationBuilder.CreateTable(
                name: "ServiceEndPrograms",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EndsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AnnouncedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    NoticeId = table.Column<long>(type: "bigint", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    EnrolCursor = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    Enrolled = table.Column<int>(type: "integer", nullable: false),
                    SweepSource = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    SweepCursor = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    Swept = table.Column<int>(type: "integer", nullable: false),
                    ProtectedSweepPlan = table.Column<string>(type: "text", nullable: true),
                    SweepTally = table.Column<string>(type: "text", nullable: false),
                    LeaseOwner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Report = table.Column<string>(type: "text", nullable: true)
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
