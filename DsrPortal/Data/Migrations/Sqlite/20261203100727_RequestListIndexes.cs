using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DsrPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RequestListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Requests_RequesterId_Number",
                table: "Requests",
                columns: new[] { "RequesterId", "Number" });

            migrationBuilder.CreateIndex(
                name: "IX_Requests_SubjectId_Number",
                table: "Requests",
                columns: new[] { "SubjectId", "Number" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Requests_RequesterId_Number",
                table: "Requests");

            migrationBuilder.DropIndex(
                name: "IX_Requests_SubjectId_Number",
                table: "Requests");
        }
    }
}
