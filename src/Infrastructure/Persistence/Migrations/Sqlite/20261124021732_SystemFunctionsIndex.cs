using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FunctionsPlatform.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SystemFunctionsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_functions_System",
                table: "functions");

            migrationBuilder.CreateIndex(
                name: "IX_functions_System_DeletedAt_CreatedAt_Id",
                table: "functions",
                columns: new[] { "DeletedAt", "CreatedAt", "Id" },
                filter: "\"System\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_functions_System_DeletedAt_CreatedAt_Id",
                table: "functions");

            migrationBuilder.CreateIndex(
                name: "IX_functions_System",
                table: "functions",
                column: "System");
        }
    }
}
