using FunctionsPlatform.Domain.Functions;
using Mapster;

namespace FunctionsPlatform.Application.Functions;

public sealed class FunctionMappings : IRegister
{
    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<Function, FunctionDto>()
            .Map(d => d.Source, s => s.Source.ToWire());
}
