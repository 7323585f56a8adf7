using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DsrPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeceasedRelatives : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LegacyArrangements",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Choice = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PersonName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PersonContact = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegacyArrangements", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RelativeClaims",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RelativeId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    DeceasedId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Kinship = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Asked = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    CorrectionField = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CorrectionValue = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Interest = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RefusalReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Checked = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RelativeClaims", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RelativeDocuments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ClaimId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    ProtectedContent = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RelativeDocuments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RelativeDocuments_RelativeClaims_ClaimId",
                        column: x => x.ClaimId,
                        principalTable: "RelativeClaims",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LegacyArrangements_UserId_Id",
                table: "LegacyArrangements",
                columns: new[] { "UserId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_RelativeClaims_RelativeId",
                table: "RelativeClaims",
                column: "RelativeId");

            migrationBuilder.CreateIndex(
                name: "IX_RelativeClaims_Status_DueAt",
                table: "RelativeClaims",
                columns: new[] { "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RelativeDocuments_ClaimId",
                table: "RelativeDocuments",
                column: "ClaimId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LegacyArrangements");

            migrationBuilder.DropTable(
                name: "RelativeDocuments");

            migrationBuilder.DropTable(
                name: "RelativeClaims");
        }
    }
}
