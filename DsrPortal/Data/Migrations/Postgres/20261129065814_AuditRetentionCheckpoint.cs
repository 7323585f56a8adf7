using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DsrPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditRetentionCheckpoint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PurgedThroughHash",
                table: "AuditHeads",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "0000000000000000000000000000000000000000000000000000000000000000");

            migrationBuilder.AddColumn<long>(
                name: "PurgedThroughSequence",
                table: "AuditHeads",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.UpdateData(
                table: "AuditHeads",
                keyColumn: "Id",
                keyValue: 1,
                columns: new[] { "PurgedThroughHash", "PurgedThroughSequence" },
                values: new object[] { "0000000000000000000000000000000000000000000000000000000000000000", 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PurgedThroughHash",
                table: "AuditHeads");

            migrationBuilder.DropColumn(
                name: "PurgedThroughSequence",
                table: "AuditHeads");
        }
    }
}
