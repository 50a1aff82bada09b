using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FunctionsPlatform.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "functions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    System = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RuntimeUserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DefaultVersionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RetentionTier = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Runtime = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Execute = table.Column<string>(type: "TEXT", nullable: false),
                    Events = table.Column<string>(type: "TEXT", nullable: false),
                    Schedule = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ScheduleNext = table.Column<long>(type: "INTEGER", nullable: true),
                    SchedulePrevious = table.Column<long>(type: "INTEGER", nullable: true),
                    Timeout = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Logging = table.Column<bool>(type: "INTEGER", nullable: false),
                    Live = table.Column<bool>(type: "INTEGER", nullable: false),
                    Entrypoint = table.Column<string>(type: "TEXT", maxLength: 1028, nullable: true),
                    Commands = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: false),
                    Scopes = table.Column<string>(type: "TEXT", nullable: false),
                    BuildSpecification = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RuntimeSpecification = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DeploymentRetention = table.Column<int>(type: "INTEGER", nullable: false),
                    ProtocolVersion = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    DeploymentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DeploymentCreatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LatestDeploymentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LatestDeploymentCreatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LatestDeploymentStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    InstallationId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ProviderRepositoryId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ProviderBranch = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ProviderRootDirectory = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ProviderSilentMode = table.Column<bool>(type: "INTEGER", nullable: false),
                    ProviderBranches = table.Column<string>(type: "TEXT", nullable: false),
                    ProviderPaths = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_functions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "schemas",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Document = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schemas", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    IsAdmin = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "workspaces",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workspaces", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "deployments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FunctionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Entrypoint = table.Column<string>(type: "TEXT", maxLength: 1028, nullable: false),
                    Commands = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: false),
                    Activate = table.Column<bool>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    SourceSize = table.Column<long>(type: "INTEGER", nullable: false),
                    BuildKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    BuildSize = table.Column<long>(type: "INTEGER", nullable: false),
                    BuildLogs = table.Column<string>(type: "TEXT", nullable: false),
                    BuildStartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    BuildDuration = table.Column<int>(type: "INTEGER", nullable: false),
                    ChunksTotal = table.Column<int>(type: "INTEGER", nullable: false),
                    ChunksUploaded = table.Column<int>(type: "INTEGER", nullable: false),
                    ProviderRepositoryName = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ProviderRepositoryOwner = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ProviderRepositoryUrl = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ProviderCommitHash = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ProviderCommitAuthor = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ProviderCommitAuthorUrl = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ProviderCommitMessage = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ProviderCommitUrl = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ProviderBranch = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ProviderBranchUrl = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_deployments_functions_FunctionId",
                        column: x => x.FunctionId,
                        principalTable: "functions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "executions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FunctionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DeploymentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    VersionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RequestMethod = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RequestPath = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    RequestHeaders = table.Column<string>(type: "TEXT", nullable: false),
                    RequestBody = table.Column<string>(type: "TEXT", nullable: true),
                    ResponseStatusCode = table.Column<int>(type: "INTEGER", nullable: false),
                    ResponseBody = table.Column<string>(type: "TEXT", nullable: true),
                    ResponseHeaders = table.Column<string>(type: "TEXT", nullable: false),
                    Logs = table.Column<string>(type: "TEXT", nullable: false),
                    Errors = table.Column<string>(type: "TEXT", nullable: false),
                    Duration = table.Column<double>(type: "REAL", nullable: false),
                    ScheduledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    LeaseExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_executions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_executions_functions_FunctionId",
                        column: x => x.FunctionId,
                        principalTable: "functions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "function_versions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FunctionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ParentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    InputSchemaId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    OutputSchemaId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Files = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_function_versions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_function_versions_functions_FunctionId",
                        column: x => x.FunctionId,
                        principalTable: "functions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "variables",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FunctionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 16512, nullable: false),
                    Secret = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_variables", x => x.Id);
                    table.ForeignKey(
                        name: "FK_variables_functions_FunctionId",
                        column: x => x.FunctionId,
                        principalTable: "functions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Scopes = table.Column<string>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_keys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_api_keys_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "memberships",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_memberships", x => new { x.WorkspaceId, x.UserId });
                    table.ForeignKey(
                        name: "FK_memberships_workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_TokenHash",
                table: "api_keys",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_UserId",
                table: "api_keys",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_deployments_FunctionId_CreatedAt_Id",
                table: "deployments",
                columns: new[] { "FunctionId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_deployments_Status",
                table: "deployments",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_executions_FunctionId_CreatedAt_Id",
                table: "executions",
                columns: new[] { "FunctionId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_executions_Status_LeaseExpiresAt",
                table: "executions",
                columns: new[] { "Status", "LeaseExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_executions_Status_ScheduledAt",
                table: "executions",
                columns: new[] { "Status", "ScheduledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_function_versions_DeletedAt_CreatedAt_Id",
                table: "function_versions",
                columns: new[] { "DeletedAt", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_function_versions_FunctionId_DeletedAt_CreatedAt_Id",
                table: "function_versions",
                columns: new[] { "FunctionId", "DeletedAt", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_function_versions_FunctionId_DeletedAt_Name",
                table: "function_versions",
                columns: new[] { "FunctionId", "DeletedAt", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_function_versions_InputSchemaId",
                table: "function_versions",
                column: "InputSchemaId");

            migrationBuilder.CreateIndex(
                name: "IX_function_versions_OutputSchemaId",
                table: "function_versions",
                column: "OutputSchemaId");

            migrationBuilder.CreateIndex(
                name: "IX_function_versions_ParentId",
                table: "function_versions",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_functions_DefaultVersionId",
                table: "functions",
                column: "DefaultVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_functions_DeletedAt_CreatedAt_Id",
                table: "functions",
                columns: new[] { "DeletedAt", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_functions_DeletedAt_Name_Id",
                table: "functions",
                columns: new[] { "DeletedAt", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_functions_Enabled_ScheduleNext",
                table: "functions",
                columns: new[] { "Enabled", "ScheduleNext" });

            migrationBuilder.CreateIndex(
                name: "IX_functions_System",
                table: "functions",
                column: "System");

            migrationBuilder.CreateIndex(
                name: "IX_functions_WorkspaceId_DeletedAt_CreatedAt_Id",
                table: "functions",
                columns: new[] { "WorkspaceId", "DeletedAt", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_functions_WorkspaceId_DeletedAt_Name_Id",
                table: "functions",
                columns: new[] { "WorkspaceId", "DeletedAt", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_memberships_UserId",
                table: "memberships",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_schemas_WorkspaceId_CreatedAt_Id",
                table: "schemas",
                columns: new[] { "WorkspaceId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_users_Email",
                table: "users",
                column: "Email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_variables_FunctionId_CreatedAt_Id",
                table: "variables",
                columns: new[] { "FunctionId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_variables_FunctionId_Key",
                table: "variables",
                columns: new[] { "FunctionId", "Key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "deployments");

            migrationBuilder.DropTable(
                name: "executions");

            migrationBuilder.DropTable(
                name: "function_versions");

            migrationBuilder.DropTable(
                name: "memberships");

            migrationBuilder.DropTable(
                name: "schemas");

            migrationBuilder.DropTable(
                name: "variables");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "workspaces");

            migrationBuilder.DropTable(
                name: "functions");
        }
    }
}
