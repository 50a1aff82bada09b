using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FunctionsPlatform.Infrastructure.Persistence.Migrations.SqlServer
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
                    WorkspaceId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false, collation: "Latin1_General_100_BIN2"),
                    Live = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_function_counts", x => x.WorkspaceId);
                });

            // Live functions per workspace, kept by a trigger in the statement that changes a function. Set-based: one
            // statement may insert, update or delete many rows; updates that change neither liveness nor workspace net out.
            migrationBuilder.Sql("""
                INSERT INTO [function_counts] ([WorkspaceId], [Live])
                SELECT [WorkspaceId], COUNT_BIG(*) FROM [functions] WHERE [DeletedAt] IS NULL GROUP BY [WorkspaceId];
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER [functions_live_count] ON [functions] AFTER INSERT, UPDATE, DELETE AS
                BEGIN
                    SET NOCOUNT ON;
                    WITH [changes] AS (
                        SELECT [WorkspaceId], CAST(1 AS bigint) AS [Delta] FROM inserted WHERE [DeletedAt] IS NULL
                        UNION ALL
                        SELECT [WorkspaceId], CAST(-1 AS bigint) FROM deleted WHERE [DeletedAt] IS NULL
                    ), [sums] AS (
                        SELECT [WorkspaceId], SUM([Delta]) AS [Delta] FROM [changes] GROUP BY [WorkspaceId] HAVING SUM([Delta]) <> 0
                    )
                    MERGE [function_counts] WITH (HOLDLOCK) AS [target]
                    USING [sums] AS [source] ON [target].[WorkspaceId] = [source].[WorkspaceId]
                    WHEN MATCHED THEN UPDATE SET [Live] = [target].[Live] + [source].[Delta]
                    WHEN NOT MATCHED THEN INSERT ([WorkspaceId], [Live]) VALUES ([source].[WorkspaceId], [source].[Delta]);
                END
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS [functions_live_count];");
            migrationBuilder.DropTable(
                name: "function_counts");
        }
    }
}
