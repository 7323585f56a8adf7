using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DsrPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ChangeFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ChangeFeedEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Event = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SubjectId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Data = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChangeFeedEntries", x => x.Id);
                });

            // The feed carried choices before it carried every event: they stay in it, oldest first, under new cursors.
            migrationBuilder.Sql("""
                INSERT INTO "ChangeFeedEntries" ("Event", "SubjectId", "Data", "OccurredAt")
                SELECT 'preference.changed', "UserId", json_object('purpose', "Purpose", 'decision', "Decision", 'channel', "Channel"), "RecordedAt"
                FROM "ProcessingChoices" ORDER BY "Id"
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ChangeFeedEntries");
        }
    }
}
