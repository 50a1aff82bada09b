using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Appwrite;

/// <summary>
/// <c>appwrite login</c>'s console sessions: email + one of the user's API key tokens opens a session whose cookie acts
/// with exactly that key's rights on /v1, until logout or the key's revocation.
/// </summary>
public sealed class AppwriteConsoleSessionTests : AppwriteTestBase
{
    [Test]
    public async Task Login_ShouldSetTheSessionCookie_ThatActsWithTheKeysRights()
    {
        var (tenant, workspace, userId) = await CreateTenantAsync();
        var token = tenant.DefaultRequestHeaders.Authorization!.Parameter!;
        tenant.Dispose();
        var email = await EmailOfAsync(userId);

        var (session, cookie) = await LoginAsync(email.ToUpperInvariant(), token);
        using var signedIn = CookieClient(cookie, workspace);
        var account = await ReadJsonAsync(await signedIn.GetAsync("/v1/account"), HttpStatusCode.OK);
        var created = await ReadJsonAsync(await SendAsync(signedIn, HttpMethod.Post, "/v1/functions",
            $$"""{"functionId":"by-session","name":"made in a session","runtime":"{{await NodeRuntimeAsync(signedIn)}}"}"""), HttpStatusCode.Created);
        var list = await ReadJsonAsync(await signedIn.GetAsync("/v1/functions"), HttpStatusCode.OK);
        using var otherProject = CookieClient(cookie, TestServer.DefaultWorkspace);
        var other = await otherProject.GetAsync("/v1/functions");

        Assert.Multiple(() =>
        {
            Assert.That(session["$id"]!.GetValue<string>(), Does.StartWith("ses_"));
            Assert.That(session["userId"]!.GetValue<string>(), Is.EqualTo(userId));
            Assert.That(session["provider"]!.GetValue<string>(), Is.EqualTo("email"));
            Assert.That(session["current"]!.GetValue<bool>(), Is.True);
            Assert.That(session["secret"]!.GetValue<string>(), Is.Empty, "the secret travels only in the cookie");
            Assert.That(account["email"]!.GetValue<string>(), Is.EqualTo(email));
            Assert.That(account["$id"]!.GetValue<string>(), Is.EqualTo(userId));
            Assert.That(created["$id"]!.GetValue<string>(), Is.EqualTo("by-session"));
            Assert.That(list["functions"]!.AsArray().Select(f => f!["$id"]!.GetValue<string>()), Does.Contain("by-session"));
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a workspace the user is not a member of stays invisible");
        });
    }

    [Test]
    public async Task Login_ShouldSetAnHttpOnlySameSiteCookie_AndAcceptTheWholeLineTheCliSendsBack()
    {
        var (session, cookie) = await LoginAsync(TestServer.AdminEmail, TestServer.AdminKey);
        using var cli = CookieClient($"{cookie}; expires=Tue, 01 Dec 2027 10:00:00 GMT; path=/; httponly; samesite=strict", TestServer.DefaultWorkspace);

        var account = await ReadJsonAsync(await cli.GetAsync("/v1/account"), HttpStatusCode.OK);

        Assert.That(account["email"]!.GetValue<string>(), Is.EqualTo(TestServer.AdminEmail));
        Assert.That(session["expire"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task Login_WithWrongCredentials_ShouldBe401_AllAlike()
    {
        var (tenant, _, userId) = await CreateTenantAsync();
        var token = tenant.DefaultRequestHeaders.Authorization!.Parameter!;
        tenant.Dispose();
        var email = await EmailOfAsync(userId);
        var revoked = await CreateKeyAsync(userId);
        await ReadJsonAsync(await Admin.DeleteAsync($"/api/api-keys/{revoked.Id}"), HttpStatusCode.OK);

        foreach (var (who, password) in new[]
                 {
                     ("unknown email", ("nobody@example.test", token)),
                     ("wrong token", (email, token + "x")),
                     ("someone else's key", (email, TestServer.AdminKey)),
                     ("a revoked key", (email, revoked.Token)),
                 })
        {
            var response = await PostLoginAsync(password.Item1, password.Item2);
            Assert.That(await AssertAppwriteErrorAsync(response, HttpStatusCode.Unauthorized, "user_invalid_credentials"),
                Is.EqualTo("Invalid credentials. Please check the email and password."), who);
            Assert.That(response.Headers.Contains("Set-Cookie"), Is.False, who);
        }
    }

    [TestCase("""{"password":"x"}""", TestName = "Login_WithoutEmail_ShouldBe400")]
    [TestCase("""{"email":"a@b.c"}""", TestName = "Login_WithoutPassword_ShouldBe400")]
    [TestCase("""{"email":"a@b.c","password":""}""", TestName = "Login_WithAnEmptyPassword_ShouldBe400")]
    public async Task Login_WithMissingFields_ShouldBe400(string body)
    {
        using var anonymous = CookieClient(null, "console");
        await AssertAppwriteErrorAsync(await SendAsync(anonymous, HttpMethod.Post, "/v1/account/sessions/email", body),
            HttpStatusCode.BadRequest, "general_argument_invalid");
    }

    [Test]
    public async Task Login_WithAnOverlongPasswordOrEmail_ShouldBe400()
    {
        var longPassword = await PostLoginAsync("a@b.c", new string('p', 257));
        var longEmail = await PostLoginAsync(new string('e', 321) + "@b.c", "x");

        await AssertAppwriteErrorAsync(longPassword, HttpStatusCode.BadRequest, "general_argument_invalid");
        await AssertAppwriteErrorAsync(longEmail, HttpStatusCode.BadRequest, "general_argument_invalid");
    }

    [Test]
    public async Task Logout_ShouldEndTheSessionAtOnce()
    {
        var (_, cookie) = await LoginAsync(TestServer.AdminEmail, TestServer.AdminKey);
        using var client = CookieClient(cookie, TestServer.DefaultWorkspace);
        await ReadJsonAsync(await client.GetAsync("/v1/account"), HttpStatusCode.OK);

        var logout = await client.DeleteAsync("/v1/account/sessions/current");

        Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(logout.Headers.GetValues("Set-Cookie").Single(), Does.StartWith("a_session_console=;"), "the cookie is cleared");
        await AssertAppwriteErrorAsync(await client.GetAsync("/v1/account"), HttpStatusCode.Unauthorized, "general_unauthorized_scope");
        await AssertAppwriteErrorAsync(await client.GetAsync("/v1/functions"), HttpStatusCode.Unauthorized, "general_unauthorized_scope");
    }

    [Test]
    public async Task DeleteSession_OfAnotherUser_ShouldBe404()
    {
        var (tenant, _, userId) = await CreateTenantAsync();
        var token = tenant.DefaultRequestHeaders.Authorization!.Parameter!;
        tenant.Dispose();
        var (theirs, _) = await LoginAsync(await EmailOfAsync(userId), token);
        var (_, mine) = await LoginAsync(TestServer.AdminEmail, TestServer.AdminKey);
        using var client = CookieClient(mine, TestServer.DefaultWorkspace);

        await AssertAppwriteErrorAsync(await client.DeleteAsync($"/v1/account/sessions/{theirs["$id"]}"), HttpStatusCode.NotFound, "user_session_not_found");
    }

    [Test]
    public async Task RevokingTheKey_ShouldEndItsSessionsAtOnce()
    {
        var (tenant, workspace, userId) = await CreateTenantAsync();
        tenant.Dispose();
        var key = await CreateKeyAsync(userId);
        var (_, cookie) = await LoginAsync(await EmailOfAsync(userId), key.Token);
        using var client = CookieClient(cookie, workspace);
        await ReadJsonAsync(await client.GetAsync("/v1/functions"), HttpStatusCode.OK);

        await ReadJsonAsync(await Admin.DeleteAsync($"/api/api-keys/{key.Id}"), HttpStatusCode.OK);

        await AssertAppwriteErrorAsync(await client.GetAsync("/v1/functions"), HttpStatusCode.Unauthorized, "general_unauthorized_scope");
    }

    [Test]
    public async Task SessionCookie_WithoutTheProjectHeader_ShouldNotSignIn()
    {
        var (_, cookie) = await LoginAsync(TestServer.AdminEmail, TestServer.AdminKey);
        using var noProject = CookieClient(cookie, project: null);

        await AssertAppwriteErrorAsync(await noProject.GetAsync("/v1/account"), HttpStatusCode.Unauthorized, "general_unauthorized_scope");
    }

    [Test]
    public async Task SessionCookie_OnApi_ShouldNotSignIn()
    {
        var (_, cookie) = await LoginAsync(TestServer.AdminEmail, TestServer.AdminKey);
        using var client = CookieClient(cookie, TestServer.DefaultWorkspace);

        var response = await client.GetAsync("/api/workspaces");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AForgedOrUnknownCookie_ShouldNotSignIn()
    {
        using var client = CookieClient("a_session_console=" + new string('A', 43), TestServer.DefaultWorkspace);

        await AssertAppwriteErrorAsync(await client.GetAsync("/v1/account"), HttpStatusCode.Unauthorized, "general_unauthorized_scope");
    }

    [Test]
    public async Task Account_WithAnApiKey_ShouldBe401_AccountsBelongToSessions()
    {
        using var client = V1Client();

        await AssertAppwriteErrorAsync(await client.GetAsync("/v1/account"), HttpStatusCode.Unauthorized, "general_unauthorized_scope");
        await AssertAppwriteErrorAsync(await client.DeleteAsync("/v1/account/sessions/current"), HttpStatusCode.Unauthorized, "general_unauthorized_scope");
    }

    [Test]
    public async Task ConsoleVariables_ShouldNameTheFunctionsDomain_ForASignedInCaller_Only()
    {
        var (_, cookie) = await LoginAsync(TestServer.AdminEmail, TestServer.AdminKey);
        using var console = CookieClient(cookie, "console");
        using var anonymous = CookieClient(null, "console");

        var variables = await ReadJsonAsync(await console.GetAsync("/v1/console/variables"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(variables["_APP_DOMAIN_FUNCTIONS"]!.GetValue<string>(), Is.EqualTo("functions.localhost"));
            Assert.That(variables["_APP_DOMAIN_ENABLED"]!.GetValue<bool>(), Is.True);
            Assert.That(variables["_APP_COMPUTE_SIZE_LIMIT"]!.GetValue<long>(), Is.EqualTo(30_000_000));
        });
        await AssertAppwriteErrorAsync(await anonymous.GetAsync("/v1/console/variables"), HttpStatusCode.Unauthorized, "general_unauthorized_scope");
    }

    /// <summary>A client that never stores cookies: each test says exactly which cookie it presents.</summary>
    private static HttpClient CookieClient(string? cookie, string? project)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = TestServer.BaseAddress };
        if (cookie is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", cookie);
        }

        if (project is not null)
        {
            client.DefaultRequestHeaders.Add("X-Appwrite-Project", project);
        }

        return client;
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(string email, string password)
    {
        using var client = CookieClient(null, "console");
        return await client.PostAsJsonAsync("/v1/account/sessions/email", new { email, password });
    }

    /// <summary>Logs in; returns the Session and the <c>name=value</c> pair of its cookie.</summary>
    private static async Task<(JsonNode Session, string Cookie)> LoginAsync(string email, string password)
    {
        var response = await PostLoginAsync(email, password);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single();
        var session = await ReadJsonAsync(response, HttpStatusCode.Created);
        Assert.Multiple(() =>
        {
            Assert.That(setCookie, Does.StartWith("a_session_console="));
            Assert.That(setCookie.ToLowerInvariant(), Does.Contain("httponly").And.Contain("samesite=strict").And.Contain("expires="));
        });
        return (session, setCookie.Split(';')[0]);
    }

    private async Task<string> EmailOfAsync(string userId)
    {
        var users = await ReadJsonAsync(await Admin.GetAsync("/api/users"), HttpStatusCode.OK);
        return users["data"]!.AsArray().First(u => u!["id"]!.GetValue<string>() == userId)!["email"]!.GetValue<string>();
    }

    private async Task<(string Id, string Token)> CreateKeyAsync(string userId)
    {
        var key = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/api-keys",
            new { name = "for a session", scopes = new[] { "functions.read", "functions.write" }, userId }), HttpStatusCode.Created);
        return (key["id"]!.GetValue<string>(), key["token"]!.GetValue<string>());
    }
}
