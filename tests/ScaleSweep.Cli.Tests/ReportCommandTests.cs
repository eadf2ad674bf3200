namespace ScaleSweep.Cli.Tests;

/// <summary><c>scalesweep report</c>: the transfer flags are checked before anything is read or written.</summary>
public class ReportCommandTests
{
    [Theory]
    [InlineData("--tolerance-loss", "-0.01")]
    [InlineData("--target", "0")]
    public void A_bad_transfer_flag_exits_2_naming_it(string flag, string value)
    {
        var folder = Directory.CreateTempSubdirectory("report-flags");
        try
        {
            var outcome = ScaleSweepProcess.Run("report", folder.FullName, $"{flag}={value}");
            Assert.Equal(2, outcome.ExitCode);
            Assert.Contains(flag, outcome.Stderr);
            Assert.Empty(Directory.GetFileSystemEntries(folder.FullName));
        }
        finally { folder.Delete(true); }
    }
}
