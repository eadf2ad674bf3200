using System.Text.Json;

namespace ScaleSweep.Cli.Tests;

public class TrainAndCoordCheckCommandTests
{
    [Theory]
    [InlineData("train", "--model", "lstm")]
    [InlineData("train", "--param", "mupp")]
    [InlineData("train", "--width", "-5")]
    [InlineData("train", "--lr", "0")]
    [InlineData("train", "--lr", "abc")]
    [InlineData("train", "--optimizer", "lion")]
    [InlineData("train", "--data", "imagenet")]
    [InlineData("train", "--no-such-flag")]
    [InlineData("coord-check", "--widths", "64,x")]
    [InlineData("coord-check", "--widths", "64")]
    [InlineData("coord-check")]
    [InlineData("train", "--width", "100", "--model", "transformer", "--heads", "3")]
    [InlineData("coord-check", "--experts", "2,4", "--model", "mlp")]
    public void User_mistakes_exit_2_with_a_message_naming_the_flag_and_no_stack_trace(params string[] args)
    {
        var outcome = ScaleSweepProcess.Run(args);
        Assert.Equal(2, outcome.ExitCode);
        var flag = args.Skip(1).FirstOrDefault(a => a.StartsWith("--")) ?? "--widths";
        Assert.Contains(flag, outcome.Stderr);
        Assert.DoesNotContain("   at ", outcome.Stderr);
        Assert.DoesNotContain("Exception", outcome.Stderr);
    }

    [Fact]
    public void Missing_data_exits_2_and_names_the_debian_package()
    {
        var empty = Directory.CreateTempSubdirectory("nodata");
        try
        {
            var outcome = ScaleSweepProcess.Run("train", "--data", "fashion-mnist", "--data-path", empty.FullName, "--steps", "1");
            Assert.Equal(2, outcome.ExitCode);
            Assert.Contains("dataset-fashion-mnist", outcome.Stderr);
            Assert.Contains("--data", outcome.Stderr);
            Assert.DoesNotContain("   at ", outcome.Stderr);
        }
        finally { empty.Delete(); }
    }

    [Fact]
    public void Train_json_prints_one_object_with_the_documented_fields()
    {
        var outcome = ScaleSweepProcess.Run("train", "--steps", "20", "--width", "64", "--json");
        Assert.Equal(0, outcome.ExitCode);
        using var doc = JsonDocument.Parse(outcome.Stdout);
        var root = doc.RootElement;
        foreach (var field in new[] { "status", "final_train_loss", "final_eval_loss", "eval_accuracy", "diverged_at_step", "steps", "samples_per_second", "wall_seconds", "trial_key", "log2_lr" })
            Assert.True(root.TryGetProperty(field, out _), $"missing {field}");
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal(20, root.GetProperty("steps").GetInt32());
    }

    [Fact]
    public void Coord_check_json_is_flat_for_mup_and_grows_for_sp()
    {
        double WorstSlope(string param, bool absolute)
        {
            var outcome = ScaleSweepProcess.Run("coord-check", "--model", "mlp", "--param", param, "--widths", "64,128,256,512,1024", "--steps", "4", "--json");
            Assert.Equal(0, outcome.ExitCode);
            using var doc = JsonDocument.Parse(outcome.Stdout);
            var root = doc.RootElement;
            Assert.Equal("width", root.GetProperty("axis").GetString());
            Assert.Equal(param, root.GetProperty("parameterization").GetString());
            Assert.Equal(5 * 3 * 4, root.GetProperty("records").GetArrayLength());
            var record = root.GetProperty("records")[0];
            foreach (var field in new[] { "module", "t", "scale", "mean_abs" }) Assert.True(record.TryGetProperty(field, out _), field);
            return root.GetProperty("slopes").EnumerateArray()
                .Where(s => s.GetProperty("t").GetInt32() >= 2)
                .Select(s => s.GetProperty("slope").GetDouble())
                .Max(s => absolute ? Math.Abs(s) : s);
        }
        Assert.True(WorstSlope("mup", absolute: true) < 0.2);
        Assert.True(WorstSlope("sp", absolute: false) > 0.5);
    }

    [Theory]
    [InlineData("depth", "--model", "resnet", "--param", "depth-mup", "--depths", "2,4,8", "--width", "64")]
    [InlineData("experts", "--model", "moe", "--param", "mup", "--experts", "2,4", "--width", "32", "--data", "text", "--batch", "4", "--context", "16")]
    public void Coord_check_runs_over_depth_and_experts(string axis, params string[] args)
    {
        var outcome = ScaleSweepProcess.Run(["coord-check", .. args, "--steps", "2", "--seeds", "1", "--json"]);
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        using var doc = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal(axis, doc.RootElement.GetProperty("axis").GetString());
        Assert.True(doc.RootElement.GetProperty("slopes").GetArrayLength() > 0);
    }

    [Fact]
    public void A_transformer_trains_on_the_bible_from_flags()
    {
        var outcome = ScaleSweepProcess.Run("train", "--model", "transformer", "--data", "text", "--width", "32", "--heads", "2",
            "--context", "16", "--batch", "8", "--steps", "5", "--eval-examples", "16", "--json");
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        using var doc = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal("completed", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("transformer", doc.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void Coord_check_plot_writes_a_png()
    {
        var path = Path.Combine(Path.GetTempPath(), $"coord-{Guid.NewGuid():N}.png");
        try
        {
            var outcome = ScaleSweepProcess.Run("coord-check", "--param", "mup", "--widths", "64,128,256", "--steps", "3", "--plot", path);
            Assert.Equal(0, outcome.ExitCode);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
        finally { File.Delete(path); }
    }
}
