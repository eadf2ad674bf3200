using System.CommandLine;

namespace ScaleSweep.Cli.Commands;

public static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "Train one trial from flags (for debugging a configuration).");
        var width = new Option<int>("--width") { Description = "Hidden width.", DefaultValueFactory = _ => 256 };
        command.Options.Add(width);
        command.SetAction((parse, ct) =>
        {
            var w = parse.GetValue(width);
            if (w <= 0) throw new UsageException("--width: must be a positive integer");
            Console.WriteLine(w);
            return Task.FromResult(0);
        });
        return command;
    }
}
