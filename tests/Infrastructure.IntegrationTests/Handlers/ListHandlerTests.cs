using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Functions.Commands.CreateFunction;
using FunctionsPlatform.Application.Functions.Queries.ListFunctions;
using FunctionsPlatform.Application.FunctionVersions.Queries.ListFunctionVersions;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;

/// <summary>
/// List handlers build their list query before any database work: a malformed list is a 400 even where the lookups that
/// follow would have answered otherwise (an invisible workspace: an empty page; an unknown function: 404).
/// </summary>
public sealed class ListHandlerTests
{
    private const string BadFilter = """{"nope":1}""";
    private HandlerTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _host = await HandlerTestHost.StartAsync();
        await using var scope = _host.Services.CreateAsyncScope();
        _host.Caller.UserId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.Select(u => u.Id).SingleAsync();
        _host.Caller.IsAdmin = true;
        _host.Caller.Scopes = Scope.All;
    }

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    private static FunctionListScope Functions(string? workspaceId = null) =>
        new(workspaceId, null, DeletedVisibility.Active, null, null, null, null, null, null, null);

    [Test]
    public void ListFunctions_BadFilterOnAnInvisibleWorkspace_IsValidationNotAnEmptyPage()
    {
        _host.Caller.IsAdmin = false;
        var error = Assert.ThrowsAsync<ValidationException>(() =>
            _host.SendAsync(new ListFunctionsQuery(Functions("ws_nobody_sees"), new ListRequest(BadFilter, null, 10, null, null))));

        Assert.That(error!.Errors.Keys, Is.EquivalentTo(new[] { "filter.nope" }));
    }

    [Test]
    public async Task ListFunctions_ValidListOnAnInvisibleWorkspace_IsStillAnEmptyPage()
    {
        _host.Caller.IsAdmin = false;
        var page = await _host.SendAsync(new ListFunctionsQuery(Functions("ws_nobody_sees"), new ListRequest(null, null, 10, null, null)));

        Assert.That((page.Items.Count, page.PageInfo.Total), Is.EqualTo((0, 0L)));
    }

    [Test]
    public void ListFunctionVersions_BadCursorForAnUnknownFunction_IsValidationNotNotFound()
    {
        var scope = new VersionListScope("fun_unknown", DeletedVisibility.Active, null, null, null, null);
        var error = Assert.ThrowsAsync<ValidationException>(() =>
            _host.SendAsync(new ListFunctionVersionsQuery(scope, new ListRequest(null, null, 10, "forged.cursor", null))));

        Assert.That(error!.Errors.Keys, Is.EquivalentTo(new[] { "after" }));
    }

    [Test]
    public async Task ListFunctions_Unfiltered_TakesTheMaintainedCountAndPagesOnward()
    {
        for (var i = 0; i < 3; i++)
        {
            await _host.SendAsync(new CreateFunctionCommand("default", $"f{i}", null, null, null, null, null, null));
        }

        var first = await _host.SendAsync(new ListFunctionsQuery(Functions(), new ListRequest(null, null, 2, null, null)));
        var second = await _host.SendAsync(new ListFunctionsQuery(Functions(), new ListRequest(null, null, 2, first.PageInfo.EndCursor, null)));

        Assert.That((first.PageInfo.Total, first.PageInfo.TotalExact, first.PageInfo.HasNextPage), Is.EqualTo((3L, true, true)));
        Assert.That((second.Items.Count, second.PageInfo.Total, second.PageInfo.HasPreviousPage, second.PageInfo.HasNextPage), Is.EqualTo((1, 3L, true, false)));
        Assert.That(first.Items.Concat(second.Items).Select(f => f.Name), Is.EquivalentTo(new[] { "f0", "f1", "f2" }));
    }
}
