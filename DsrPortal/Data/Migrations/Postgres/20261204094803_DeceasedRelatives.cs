using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace DsrPortal.Data.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Choice = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PersonName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    PersonContact = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegacyArrangements", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RelativeClaims",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RelativeId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    DeceasedId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    Kinship = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Asked = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    CorrectionField = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CorrectionValue = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Interest = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RefusalReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Checked = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RelativeClaims", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RelativeDocuments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ClaimId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    ProtectedContent = table.Column<byte[]>(type: "bytea", nullable: false)
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
