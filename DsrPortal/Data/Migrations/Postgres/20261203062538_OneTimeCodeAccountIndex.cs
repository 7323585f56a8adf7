using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DsrPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OneTimeCodeAccountIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_OneTimeCodes_UserId_CreatedAt",
                table: "OneTimeCodes",
                columns: new[] { "UserId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OneTimeCodes_UserId_CreatedAt",
                table: "OneTimeCodes");
        }
    }
}
