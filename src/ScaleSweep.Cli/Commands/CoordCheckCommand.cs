using System.CommandLine;

namespace ScaleSweep.Cli.Commands;

public static class CoordCheckCommand
{
    public static Command Create() => new("coord-check", "μP coordinate check.");
}
