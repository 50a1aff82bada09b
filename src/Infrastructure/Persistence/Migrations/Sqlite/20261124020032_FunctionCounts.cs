using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FunctionsPlatform.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FunctionCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "function_counts",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Live = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_function_counts", x => x.WorkspaceId);
                });

            // Live functions per workspace, kept by triggers in the statement that changes a function.
            migrationBuilder.Sql("""
                INSERT INTO function_counts (WorkspaceId, Live)
                SELECT WorkspaceId, COUNT(*) FROM functions WHERE DeletedAt IS NULL GROUP BY WorkspaceId;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER functions_live_count_insert AFTER INSERT ON functions WHEN NEW.DeletedAt IS NULL
                BEGIN
                    INSERT OR IGNORE INTO function_counts (WorkspaceId, Live) VALUES (NEW.WorkspaceId, 0);
                    UPDATE function_counts SET Live = Live + 1 WHERE WorkspaceId = NEW.WorkspaceId;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER functions_live_count AFTER UPDATE OF DeletedAt, WorkspaceId ON functions
                WHEN (OLD.DeletedAt IS NULL) <> (NEW.DeletedAt IS NULL) OR OLD.WorkspaceId <> NEW.WorkspaceId
                BEGIN
                    UPDATE function_counts SET Live = Live - 1 WHERE OLD.DeletedAt IS NULL AND WorkspaceId = OLD.WorkspaceId;
                    INSERT OR IGNORE INTO function_counts (WorkspaceId, Live) SELECT NEW.WorkspaceId, 0 WHERE NEW.DeletedAt IS NULL;
                    UPDATE function_counts SET Live = Live + 1 WHERE NEW.DeletedAt IS NULL AND WorkspaceId = NEW.WorkspaceId;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER functions_live_count_delete AFTER DELETE ON functions WHEN OLD.DeletedAt IS NULL
                BEGIN
                    UPDATE function_counts SET Live = Live - 1 WHERE WorkspaceId = OLD.WorkspaceId;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS functions_live_count_insert;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS functions_live_count;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS functions_live_count_delete;");
            migrationBuilder.DropTable(
                name: "function_counts");
        }
    }
}
