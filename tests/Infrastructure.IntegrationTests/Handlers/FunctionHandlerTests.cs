using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Functions.Commands.CreateFunction;
using FunctionsPlatform.Application.Functions.Commands.DeleteFunction;
using FunctionsPlatform.Application.Functions.Queries.GetFunction;
using FunctionsPlatform.Application.FunctionVersions.Commands.ForkFunctionVersion;
using FunctionsPlatform.Application.FunctionVersions.Commands.SetDefaultFunctionVersion;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;

/// <summary>Handlers through the whole MediatR pipeline (authorization, validation, unit of work) on a real SQLite file.</summary>
public sealed class FunctionHandlerTests
{
    private HandlerTestHost _host = null!;
    private string _adminId = "";

    [SetUp]
    public async Task StartAsync()
    {
        _host = await HandlerTestHost.StartAsync();
        await using var scope = _host.Services.CreateAsyncScope();
        _adminId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.Select(u => u.Id).SingleAsync();
        _host.Caller.UserId = _adminId;
        _host.Caller.IsAdmin = true;
        _host.Caller.Scopes = Scope.All;
    }

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task CreateFunction_ShouldPersistFunctionAndDefaultVersionInOneUnitOfWork()
    {
        var created = await _host.SendAsync(new CreateFunctionCommand("default", "hello", null, null, null, null, null, null));

        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var version = await db.FunctionVersions.SingleAsync();
        Assert.Multiple(() =>
        {
            Assert.That(version.Id, Is.EqualTo(created.DefaultVersionId));
            Assert.That(version.FunctionId, Is.EqualTo(created.Id));
            Assert.That(created.CreatedBy, Is.EqualTo(_adminId));
        });
    }

    [Test]
    public async Task CreateFunction_WithoutWriteScope_ShouldBeForbiddenAndStoreNothing()
    {
        _host.Caller.Scopes = new HashSet<string> { Scope.FunctionsRead };

        Assert.ThrowsAsync<ForbiddenException>(() => _host.SendAsync(new CreateFunctionCommand("default", "hello", null, null, null, null, null, null)));

        await using var scope = _host.Services.CreateAsyncScope();
        Assert.That(await scope.ServiceProvider.GetRequiredService<AppDbContext>().Functions.IgnoreQueryFilters().CountAsync(), Is.Zero);
    }

    [Test]
    public async Task GetFunction_ForNonMember_ShouldBeNotFound()
    {
        var created = await _host.SendAsync(new CreateFunctionCommand("default", "hello", null, null, null, null, null, null));
        _host.Caller.IsAdmin = false;
        _host.Caller.UserId = "usr_stranger";

        Assert.ThrowsAsync<NotFoundException>(() => _host.SendAsync(new GetFunctionQuery(created.Id)));
    }

    [Test]
    public async Task SetDefault_OnSoftDeletedFunction_ShouldConflictAndLeaveDefaultUnchanged()
    {
        var created = await _host.SendAsync(new CreateFunctionCommand("default", "hello", null, null, null, null, null, null));
        var fork = await _host.SendAsync(new ForkFunctionVersionCommand(created.DefaultVersionId!, "v2"));
        await _host.SendAsync(new DeleteFunctionCommand(created.Id));

        var error = Assert.ThrowsAsync<DomainException>(() => _host.SendAsync(new SetDefaultFunctionVersionCommand(fork.Id)));

        Assert.That(error!.Error.Kind, Is.EqualTo(ErrorKind.Conflict));
        var read = await _host.SendAsync(new GetFunctionQuery(created.Id));
        Assert.That(read.DefaultVersionId, Is.EqualTo(created.DefaultVersionId));
    }

    [Test]
    public void CreateFunction_WithInvalidInput_ShouldRaiseValidationKeyedByWireField()
    {
        var error = Assert.ThrowsAsync<ValidationException>(() => _host.SendAsync(new CreateFunctionCommand("default", "", null, "alien", null, null, null, null)));

        Assert.That(error!.Errors.Keys, Is.SupersetOf(new[] { "name", "source" }));
    }
}
