using System.CommandLine;
using ScaleSweep.Cli;
using ScaleSweep.Cli.Commands;

var root = new RootCommand("ScaleSweep: does your learning rate transfer when you scale the model up?");
foreach (var command in new[]
{
    TrainCommand.Create(),
    CoordCheckCommand.Create(),
    FeatureDiversityCommand.Create(),
    ValidateCommand.Create(),
    BenchCommand.Create(),
    ReportCommand.Create(),
    SignalPropCommand.Create(),
    SignalPropCheckCommand.Create(),
    TrainabilityCommand.Create(),
    RunCommand.Create(),
    SiloCommand.Create(),
    SubmitCommand.Create(),
    StatusCommand.Create(),
    WatchCommand.Create(),
    CancelCommand.Create(),
    ListCommand.Create(),
    BenchOrchestrationCommand.Create(),
    BenchTelemetryCommand.Create(),
    BenchLadderCommand.Create(),
    BenchPytorchCommand.Create(),
})
{
    root.Subcommands.Add(command);
}

return await CliRunner.InvokeAsync(root, args);
