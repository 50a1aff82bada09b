using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Identity;

public sealed class IdentityEndpointsTests : FunctionalTestBase
{
    private const string TimePattern = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$";

    private static string Unique() => Guid.NewGuid().ToString("N")[..10];

    private static void AssertFieldError(JsonNode problem, string field) =>
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain(field), problem.ToJsonString());

    private async Task<JsonNode> CreateUserAsync(string? email = null, bool isAdmin = false) =>
        await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "Someone", email = email ?? $"p{Unique()}@example.test", isAdmin }), HttpStatusCode.Created);

    // ---- users ----

    [Test]
    public async Task CreateUser_ShouldReturnUserWithLowerCasedEmail_AndListShouldShowIt()
    {
        var suffix = Unique();
        var user = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "Ada", email = $"Ada{suffix}@Example.TEST" }), HttpStatusCode.Created);

        var list = await ReadJsonAsync(await Admin.GetAsync("/api/users"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(user["id"]!.GetValue<string>(), Does.Match("^usr_[0-9a-z]{26}$"));
            Assert.That(user["name"]!.GetValue<string>(), Is.EqualTo("Ada"));
            Assert.That(user["email"]!.GetValue<string>(), Is.EqualTo($"ada{suffix}@example.test"));
            Assert.That(user["isAdmin"]!.GetValue<bool>(), Is.False);
            Assert.That(user["createdAt"]!.GetValue<string>(), Does.Match(TimePattern));
            Assert.That(list["data"]!.AsArray().Select(u => u!["id"]!.GetValue<string>()), Does.Contain(user["id"]!.GetValue<string>()));
            Assert.That(list["data"]!.AsArray().Select(u => u!["email"]!.GetValue<string>()), Does.Contain(TestServer.AdminEmail));
            Assert.That(list["pageInfo"], Is.Not.Null);
        });
    }

    [Test]
    public async Task CreateUser_WithTakenEmail_ShouldConflict()
    {
        var email = $"dup{Unique()}@example.test";
        await CreateUserAsync(email);

        await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "Again", email = email.ToUpperInvariant() }), HttpStatusCode.Conflict);
    }

    [TestCase("""{"name":"x","email":"not-an-email"}""", "email")]
    [TestCase("""{"name":"x"}""", "email")]
    [TestCase("""{"name":"","email":"a@b.test"}""", "name")]
    [TestCase("""{"email":"a@b.test","extra":true}""", "extra")]
    public async Task CreateUser_WithBadInput_ShouldBe400NamingTheField(string body, string field)
    {
        var problem = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Post, "/api/users", body), HttpStatusCode.BadRequest);

        AssertFieldError(problem, field);
    }

    [Test]
    public async Task CreateUser_WithOverLongName_ShouldBe400NamingName()
    {
        var response = await Admin.PostAsJsonAsync("/api/users", new { name = new string('n', 129), email = $"l{Unique()}@example.test" });

        AssertFieldError(await ReadJsonAsync(response, HttpStatusCode.BadRequest), "name");
    }

    [Test]
    public async Task UserEndpoints_AsNonAdmin_ShouldBe403()
    {
        var tenant = await CreateTenantAsync("functions.read", "functions.write", "workspaces.admin");
        using var client = tenant.Client;

        await ReadJsonAsync(await client.PostAsJsonAsync("/api/users", new { name = "x", email = $"x{Unique()}@example.test" }), HttpStatusCode.Forbidden);
        await ReadJsonAsync(await client.GetAsync("/api/users"), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task IdentityEndpoints_WithoutOrWithBadToken_ShouldBe401()
    {
        using var anonymous = TestServer.CreateClient(token: null);
        using var wrong = TestServer.CreateClient("fp_not_a_real_key");
        foreach (var client in new[] { anonymous, wrong })
        {
            await ReadJsonAsync(await client.GetAsync("/api/users"), HttpStatusCode.Unauthorized);
            await ReadJsonAsync(await client.GetAsync("/api/workspaces"), HttpStatusCode.Unauthorized);
            await ReadJsonAsync(await client.GetAsync("/api/api-keys"), HttpStatusCode.Unauthorized);
            await ReadJsonAsync(await client.PostAsJsonAsync("/api/api-keys", new { name = "k", scopes = Array.Empty<string>() }), HttpStatusCode.Unauthorized);
            await ReadJsonAsync(await client.PostAsJsonAsync("/api/workspaces", new { name = "w" }), HttpStatusCode.Unauthorized);
        }
    }

    // ---- workspaces ----

    [Test]
    public async Task CreateWorkspace_WithoutId_ShouldGenerateWsId_AndWithChosenIdShouldKeepIt()
    {
        var generated = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/workspaces", new { name = "Generated" }), HttpStatusCode.Created);
        var chosenId = $"Proj.{Unique()}_x-1";
        var chosen = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/workspaces", new { name = "Chosen", id = chosenId }), HttpStatusCode.Created);

        Assert.Multiple(() =>
        {
            Assert.That(generated["id"]!.GetValue<string>(), Does.Match("^ws_[0-9a-z]{26}$"));
            Assert.That(generated["name"]!.GetValue<string>(), Is.EqualTo("Generated"));
            Assert.That(generated["createdAt"]!.GetValue<string>(), Does.Match(TimePattern));
            Assert.That(chosen["id"]!.GetValue<string>(), Is.EqualTo(chosenId));
        });
    }

    [Test]
    public async Task CreateWorkspace_WithTakenId_ShouldConflict()
    {
        var id = $"dup-{Unique()}";
        await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/workspaces", new { name = "one", id }), HttpStatusCode.Created);

        await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/workspaces", new { name = "two", id }), HttpStatusCode.Conflict);
    }

    [TestCase("""{"name":"w","id":"-starts-with-dash"}""", "id")]
    [TestCase("""{"name":"w","id":"has space"}""", "id")]
    [TestCase("""{"name":"w","id":"a234567890123456789012345678901234567"}""", "id")]
    [TestCase("""{"name":"","id":"okid"}""", "name")]
    public async Task CreateWorkspace_WithBadInput_ShouldBe400NamingTheField(string body, string field)
    {
        var problem = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Post, "/api/workspaces", body), HttpStatusCode.BadRequest);

        AssertFieldError(problem, field);
    }

    [Test]
    public async Task CreateWorkspace_WithoutWorkspacesAdminScope_ShouldBe403()
    {
        var tenant = await CreateTenantAsync("functions.read", "functions.write");
        using var client = tenant.Client;

        await ReadJsonAsync(await client.PostAsJsonAsync("/api/workspaces", new { name = "nope" }), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task CreateWorkspace_AsTenantWithScope_ShouldMakeCallerOwner_AndListsShouldBeScoped()
    {
        var tenant = await CreateTenantAsync("functions.read", "functions.write", "workspaces.admin");
        using var client = tenant.Client;
        var other = await CreateTenantAsync();
        using var otherClient = other.Client;

        var created = await ReadJsonAsync(await client.PostAsJsonAsync("/api/workspaces", new { name = "mine" }), HttpStatusCode.Created);
        var newId = created["id"]!.GetValue<string>();
        await CreateFunctionAsync("in-new-workspace", newId, client);
        var mine = await ReadJsonAsync(await client.GetAsync("/api/workspaces"), HttpStatusCode.OK);
        var all = await ReadJsonAsync(await Admin.GetAsync("/api/workspaces"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(mine["data"]!.AsArray().Select(w => w!["id"]!.GetValue<string>()), Is.EquivalentTo(new[] { tenant.WorkspaceId, newId }));
            Assert.That(all["data"]!.AsArray().Select(w => w!["id"]!.GetValue<string>()), Is.SupersetOf(new[] { tenant.WorkspaceId, newId, other.WorkspaceId }));
        });
    }

    // ---- members ----

    [Test]
    public async Task AddMember_ShouldReturnMembership_AndGiveAccess()
    {
        var tenant = await CreateTenantAsync();
        using var client = tenant.Client;
        var workspaceId = $"shared-{Unique()}";
        await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/workspaces", new { name = "shared", id = workspaceId }), HttpStatusCode.Created);
        await ReadJsonAsync(await client.PostAsJsonAsync("/api/functions", new { workspaceId, name = "before" }), HttpStatusCode.NotFound);

        var membership = await ReadJsonAsync(
            await Admin.PostAsJsonAsync($"/api/workspaces/{workspaceId}/members", new { userId = tenant.UserId, role = "member" }), HttpStatusCode.OK);

        await CreateFunctionAsync("after", workspaceId, client);
        Assert.Multiple(() =>
        {
            Assert.That(membership["workspaceId"]!.GetValue<string>(), Is.EqualTo(workspaceId));
            Assert.That(membership["userId"]!.GetValue<string>(), Is.EqualTo(tenant.UserId));
            Assert.That(membership["role"]!.GetValue<string>(), Is.EqualTo("member"));
            Assert.That(membership["createdAt"]!.GetValue<string>(), Does.Match(TimePattern));
        });
    }

    [Test]
    public async Task AddMember_WithUnknownRoleOrUser_ShouldBe400()
    {
        var user = await CreateUserAsync();
        var userId = user["id"]!.GetValue<string>();

        var badRole = await ReadJsonAsync(await Admin.PostAsJsonAsync($"/api/workspaces/{TestServer.DefaultWorkspace}/members", new { userId, role = "king" }), HttpStatusCode.BadRequest);
        var badUser = await ReadJsonAsync(await Admin.PostAsJsonAsync($"/api/workspaces/{TestServer.DefaultWorkspace}/members", new { userId = "usr_missing", role = "member" }), HttpStatusCode.BadRequest);

        AssertFieldError(badRole, "role");
        AssertFieldError(badUser, "userId");
    }

    [Test]
    public async Task AddMember_ToUnknownWorkspace_ShouldBe404()
    {
        var user = await CreateUserAsync();

        await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/workspaces/no-such-ws/members", new { userId = user["id"]!.GetValue<string>(), role = "member" }), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task AddMember_ByNonMember_ShouldBe404_ByPlainMember_403_ByOwnerWithScope_200()
    {
        var owner = await CreateTenantAsync("functions.read", "workspaces.admin");
        using var ownerClient = owner.Client;
        var outsider = await CreateTenantAsync("functions.read", "workspaces.admin");
        using var outsiderClient = outsider.Client;
        var plain = await CreateTenantAsync("functions.read", "workspaces.admin");
        using var plainClient = plain.Client;
        var newcomer = (await CreateUserAsync())["id"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.PostAsJsonAsync($"/api/workspaces/{owner.WorkspaceId}/members", new { userId = plain.UserId, role = "member" }), HttpStatusCode.OK);
        var url = $"/api/workspaces/{owner.WorkspaceId}/members";

        await ReadJsonAsync(await outsiderClient.PostAsJsonAsync(url, new { userId = newcomer, role = "member" }), HttpStatusCode.NotFound);
        await ReadJsonAsync(await plainClient.PostAsJsonAsync(url, new { userId = newcomer, role = "member" }), HttpStatusCode.Forbidden);
        await ReadJsonAsync(await ownerClient.PostAsJsonAsync(url, new { userId = newcomer, role = "owner" }), HttpStatusCode.OK);
    }

    // ---- api keys ----

    [Test]
    public async Task CreateApiKey_ShouldReturnTokenOnce_AndListShouldNeverShowIt()
    {
        var user = await CreateUserAsync();
        var userId = user["id"]!.GetValue<string>();
        var expiresAt = DateTimeOffset.UtcNow.AddDays(1);

        var key = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/api-keys", new
        {
            name = "ci",
            scopes = new[] { "functions.read" },
            userId,
            workspaceId = TestServer.DefaultWorkspace,
            expiresAt,
        }), HttpStatusCode.BadRequest);
        AssertFieldError(key, "workspaceId"); // the user is not a member of the default workspace

        key = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/api-keys", new { name = "ci", scopes = new[] { "functions.read" }, userId, expiresAt }), HttpStatusCode.Created);
        var list = await ReadJsonAsync(await Admin.GetAsync("/api/api-keys"), HttpStatusCode.OK);
        var listed = list["data"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == key["id"]!.GetValue<string>())!;

        Assert.Multiple(() =>
        {
            Assert.That(key["id"]!.GetValue<string>(), Does.Match("^key_[0-9a-z]{26}$"));
            Assert.That(key["token"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(key["scopes"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "functions.read" }));
            Assert.That(key["userId"]!.GetValue<string>(), Is.EqualTo(userId));
            Assert.That(key["workspaceId"], Is.Null);
            Assert.That(key["expiresAt"]!.GetValue<string>(), Does.Match(TimePattern));
            Assert.That(key["createdAt"]!.GetValue<string>(), Does.Match(TimePattern));
            Assert.That(listed.AsObject().ContainsKey("token"), Is.False);
            Assert.That(listed["name"]!.GetValue<string>(), Is.EqualTo("ci"));
            Assert.That(list.ToJsonString(), Does.Not.Contain(key["token"]!.GetValue<string>()));
        });
    }

    [Test]
    public async Task ListApiKeys_AsNonAdmin_ShouldShowOnlyOwnKeys()
    {
        var a = await CreateTenantAsync();
        using var aClient = a.Client;
        var b = await CreateTenantAsync();
        using var bClient = b.Client;

        var list = await ReadJsonAsync(await aClient.GetAsync("/api/api-keys"), HttpStatusCode.OK);

        var owners = list["data"]!.AsArray().Select(k => k!["userId"]!.GetValue<string>()).ToList();
        Assert.That(owners, Is.Not.Empty);
        Assert.That(owners, Is.All.EqualTo(a.UserId));
    }

    [Test]
    public async Task CreateApiKey_AsNonAdmin_ForItselfWithHeldScopes_ShouldWork_AndBeUsable()
    {
        var tenant = await CreateTenantAsync("functions.read", "functions.write");
        using var client = tenant.Client;

        var key = await ReadJsonAsync(await client.PostAsJsonAsync("/api/api-keys", new
        {
            name = "narrow",
            scopes = new[] { "functions.read" },
            workspaceId = tenant.WorkspaceId,
        }), HttpStatusCode.Created);
        using var narrow = TestServer.CreateClient(key["token"]!.GetValue<string>());

        Assert.That(key["userId"]!.GetValue<string>(), Is.EqualTo(tenant.UserId));
        await ReadJsonAsync(await narrow.GetAsync($"/api/functions?workspace_id={tenant.WorkspaceId}"), HttpStatusCode.OK);
        await ReadJsonAsync(await narrow.PostAsJsonAsync("/api/functions", new { workspaceId = tenant.WorkspaceId, name = "x" }), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task CreateApiKey_AsNonAdmin_BeyondItsRights_ShouldBe403()
    {
        var tenant = await CreateTenantAsync("functions.read");
        using var client = tenant.Client;
        var other = await CreateTenantAsync();
        using var otherClient = other.Client;

        await ReadJsonAsync(await client.PostAsJsonAsync("/api/api-keys", new { name = "more", scopes = new[] { "functions.write" } }), HttpStatusCode.Forbidden);
        await ReadJsonAsync(await client.PostAsJsonAsync("/api/api-keys", new { name = "theirs", scopes = new[] { "functions.read" }, userId = other.UserId }), HttpStatusCode.Forbidden);
        await ReadJsonAsync(await client.PostAsJsonAsync("/api/api-keys", new { name = "elsewhere", scopes = new[] { "functions.read" }, workspaceId = other.WorkspaceId }), HttpStatusCode.Forbidden);
    }

    [TestCase("""{"name":"k","scopes":["functions.read","root"]}""", "scopes")]
    [TestCase("""{"name":"k"}""", "scopes")]
    [TestCase("""{"name":"","scopes":[]}""", "name")]
    [TestCase("""{"name":"k","scopes":[],"expiresAt":"2001-01-01T00:00:00.000Z"}""", "expiresAt")]
    [TestCase("""{"name":"k","scopes":[],"expiresAt":"yesterday"}""", "expiresAt")]
    public async Task CreateApiKey_WithBadInput_ShouldBe400NamingTheField(string body, string field)
    {
        var problem = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Post, "/api/api-keys", body), HttpStatusCode.BadRequest);

        AssertFieldError(problem, field);
    }

    [Test]
    public async Task CreateApiKey_WithOverLongName_ShouldBe400NamingName()
    {
        var response = await Admin.PostAsJsonAsync("/api/api-keys", new { name = new string('k', 129), scopes = Array.Empty<string>() });

        AssertFieldError(await ReadJsonAsync(response, HttpStatusCode.BadRequest), "name");
    }

    [Test]
    public async Task RevokeApiKey_ShouldTakeEffectAtOnce()
    {
        var tenant = await CreateTenantAsync();
        using var client = tenant.Client;
        await ReadJsonAsync(await client.GetAsync("/api/functions"), HttpStatusCode.OK);
        var keys = await ReadJsonAsync(await client.GetAsync("/api/api-keys"), HttpStatusCode.OK);
        var keyId = keys["data"]!.AsArray().Single()!["id"]!.GetValue<string>();

        var revoked = await ReadJsonAsync(await Admin.DeleteAsync($"/api/api-keys/{keyId}"), HttpStatusCode.OK);

        Assert.That(revoked["success"]!.GetValue<bool>(), Is.True);
        await ReadJsonAsync(await client.GetAsync("/api/functions"), HttpStatusCode.Unauthorized);
        await ReadJsonAsync(await Admin.DeleteAsync($"/api/api-keys/{keyId}"), HttpStatusCode.NotFound);
        var after = await ReadJsonAsync(await Admin.GetAsync("/api/api-keys"), HttpStatusCode.OK);
        Assert.That(after["data"]!.AsArray().Select(k => k!["id"]!.GetValue<string>()), Does.Not.Contain(keyId));
    }

    [Test]
    public async Task RevokeApiKey_OfAnotherUser_AsNonAdmin_ShouldBe404()
    {
        var a = await CreateTenantAsync();
        using var aClient = a.Client;
        var b = await CreateTenantAsync();
        using var bClient = b.Client;
        var bKeys = await ReadJsonAsync(await bClient.GetAsync("/api/api-keys"), HttpStatusCode.OK);
        var bKeyId = bKeys["data"]!.AsArray().Single()!["id"]!.GetValue<string>();

        await ReadJsonAsync(await aClient.DeleteAsync($"/api/api-keys/{bKeyId}"), HttpStatusCode.NotFound);
        await ReadJsonAsync(await bClient.GetAsync("/api/functions"), HttpStatusCode.OK);
    }

    [Test]
    public async Task CreateApiKey_FromWorkspaceBoundKey_ShouldOnlyMintKeysBoundToTheSameWorkspace()
    {
        var tenant = await CreateTenantAsync("functions.read", "functions.write");
        using var client = tenant.Client;
        var bound = await ReadJsonAsync(await client.PostAsJsonAsync("/api/api-keys", new { name = "bound", scopes = new[] { "functions.read" }, workspaceId = tenant.WorkspaceId }), HttpStatusCode.Created);
        using var boundClient = TestServer.CreateClient(bound["token"]!.GetValue<string>());

        await ReadJsonAsync(await boundClient.PostAsJsonAsync("/api/api-keys", new { name = "unbound", scopes = new[] { "functions.read" } }), HttpStatusCode.Forbidden);
        await ReadJsonAsync(await boundClient.PostAsJsonAsync("/api/api-keys", new { name = "same", scopes = new[] { "functions.read" }, workspaceId = tenant.WorkspaceId }), HttpStatusCode.Created);
    }

    [Test]
    public async Task CreateUser_AsAdminFlag_ShouldGrantAdminPowersToItsKeys()
    {
        var user = await CreateUserAsync(isAdmin: true);
        var key = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/api-keys", new { name = "second admin", scopes = new[] { "functions.read" }, userId = user["id"]!.GetValue<string>() }), HttpStatusCode.Created);
        using var client = TestServer.CreateClient(key["token"]!.GetValue<string>());

        Assert.That(user["isAdmin"]!.GetValue<bool>(), Is.True);
        await ReadJsonAsync(await client.GetAsync("/api/users"), HttpStatusCode.OK);
    }

    [Test]
    public async Task ExpiredKey_ShouldBe401()
    {
        var user = await CreateUserAsync();
        var key = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/api-keys", new
        {
            name = "short",
            scopes = new[] { "functions.read" },
            userId = user["id"]!.GetValue<string>(),
            expiresAt = DateTimeOffset.UtcNow.AddSeconds(1.5),
        }), HttpStatusCode.Created);
        using var client = TestServer.CreateClient(key["token"]!.GetValue<string>());
        await ReadJsonAsync(await client.GetAsync("/api/functions"), HttpStatusCode.OK);

        await Task.Delay(TimeSpan.FromSeconds(2));

        await ReadJsonAsync(await client.GetAsync("/api/functions"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task KeyBoundToWorkspaceA_AddressingWorkspaceB_ShouldBe401()
    {
        var a = await CreateTenantAsync();
        using var aClient = a.Client;
        var b = await CreateTenantAsync();
        using var bClient = b.Client;
        await ReadJsonAsync(await Admin.PostAsJsonAsync($"/api/workspaces/{b.WorkspaceId}/members", new { userId = a.UserId, role = "member" }), HttpStatusCode.OK);
        var bound = await ReadJsonAsync(await aClient.PostAsJsonAsync("/api/api-keys", new
        {
            name = "bound",
            scopes = new[] { "functions.read", "functions.write" },
            workspaceId = a.WorkspaceId,
        }), HttpStatusCode.Created);
        using var boundClient = TestServer.CreateClient(bound["token"]!.GetValue<string>());

        await CreateFunctionAsync("in-a", a.WorkspaceId, boundClient);
        await ReadJsonAsync(await boundClient.PostAsJsonAsync("/api/functions", new { workspaceId = b.WorkspaceId, name = "in-b" }), HttpStatusCode.Unauthorized);
        await ReadJsonAsync(await boundClient.PostAsJsonAsync("/api/schemas", new { workspaceId = b.WorkspaceId, name = "s", schema = new { type = "object" } }), HttpStatusCode.Unauthorized);
    }
}
