using ScaleSweep.Abstractions.Sweeps;
using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Analysis.Plots;
using ScaleSweep.Analysis.Reports;
using ScaleSweep.Analysis.Results;
using ScaleSweep.Analysis.Transfer;

namespace ScaleSweep.Analysis.Tests;

public class ReportWriterTests
{
    private static async Task<string> FillAsync(TempFolder folder)
    {
        var trials = Trials.Grid("sp", [64, 128, 256], Trials.Range(-14, -6, 1), [0, 1],
                (w, x, _) => x >= -7 ? null : Math.Pow(x - (-9 - Math.Log2(w / 64.0)), 2) + 2, curvePoints: 20)
            .Concat(Trials.Grid("mup", [64, 128, 256], Trials.Range(-14, -6, 1), [0, 1],
                (w, x, _) => Math.Pow(x + 9.3, 2) + 3.0 / Math.Log2(w), curvePoints: 20))
            .Append(Trials.Make("mup", 64, -5, 0, null, TrialStatus.Failed, error: "CUDA error: out of memory\n  at Trainer.Step()"))
            .Append(Trials.Make("mup", 64, -5, 1, null, TrialStatus.Failed, error: "CUDA error: out of memory\n  at Trainer.Step()"));
        await using var writer = await ResultsWriter.OpenAsync(folder.Path, [], new ResultsWriterOptions { FlushInterval = Timeout.InfiniteTimeSpan, RowGroupTrials = 16 });
        foreach (var t in trials) await writer.AddAsync(t);
        return folder.Path;
    }

    [Theory]
    [InlineData("transfers", "mup: spread 0.61 (log2), transfers")]
    [InlineData("does_not_transfer", "mup: spread 0.61 (log2), does not transfer")]
    [InlineData("inconclusive", "mup: spread 0.61 (log2), inconclusive")]
    public void The_loss_plot_s_title_names_the_verdict(string verdict, string title) =>
        Assert.Equal(title, LossVsLrPlot.Title("mup", 0.61, verdict));

    [Fact]
    public async Task Writes_every_artifact_with_valid_pngs_of_the_expected_size()
    {
        using var folder = new TempFolder();
        var dir = await FillAsync(folder);
        var plan = new SweepPlan("width-sp-vs-mup", [], new SweepSettings(3, new TransferSettings("width", 1.5)) { SweptKeys = ["width", "lr", "seed"] })
        {
            SpecYaml = "name: width-sp-vs-mup\ngrid:\n  width: [64, 128, 256]\n",
        };
        SweepInfo.WriteSweepFiles(dir, plan, "sweep-1");

        var output = await ReportWriter.WriteAllAsync(dir);

        Assert.Equal(new TransferSettings("width", 1.5), output.Settings);
        Assert.Equal(2, output.Analysis.Report.Results.Length);
        var sizes = output.Plots.ToDictionary(p => Path.GetFileName(p.Path), p => Png.Size(p.Path));
        Assert.Equal((2 * PlotStyle.PanelWidth, PlotStyle.PanelHeight), sizes[LossVsLrPlot.FileName]);
        Assert.Equal((OptimumDriftPlot.Width, OptimumDriftPlot.Height), sizes[OptimumDriftPlot.FileName]);
        Assert.Equal((2 * PlotStyle.PanelWidth, PlotStyle.PanelHeight), sizes[CurvesAtOptimumPlot.FileName]);
        Assert.All(output.Plots, p => Assert.True(new FileInfo(p.Path).Length > 10_000, $"{p.Path} looks empty"));

        var json = TransferFiles.FromJson(await File.ReadAllTextAsync(Path.Combine(dir, "transfer.json")));
        Assert.Equal(TransferFiles.ToJson(output.Analysis.Report), TransferFiles.ToJson(json));
        Assert.True(File.Exists(Path.Combine(dir, "transfer.parquet")));

        var report = await File.ReadAllTextAsync(output.ReportPath);
        Assert.Contains("| parameterization | axis | scales |", report);
        Assert.Contains("| mup | width | 3 |", report);
        Assert.Contains("## Recommendation", report);
        var mup = output.Analysis.Report.Results.Single(r => r.Parameterization == "mup");
        // η* = 2^-9.3 at every width, noise-free: the prediction at twice the largest width is the same, with no interval.
        Assert.Equal(-9.3, mup.Prediction!.Log2Lr, 9);
        Assert.Contains("- width 512, mup: η = 2^-9.3, 95% interval 2^-9.3 … 2^-9.3; hold-out error 0.0 log2 at width 256, loss penalty 0.0%", report);
        Assert.Contains("spread ≤ 1.5 log2", report);
        Assert.Contains("![", report);
        Assert.Contains("plots/loss_vs_lr.png", report);
        Assert.Contains("plots/lr_opt_vs_scale.png", report);
        Assert.Contains("plots/curves_at_opt.png", report);
        Assert.Contains("CUDA error: out of memory | 2 |", report);
        Assert.DoesNotContain("at Trainer.Step()", report);
        Assert.Contains("```yaml", report);
        Assert.Contains("width: [64, 128, 256]", report);
        Assert.DoesNotContain("grid too narrow", report);
        Assert.Empty(Directory.GetFiles(dir, ".*.tmp"));
    }

    [Fact]
    public async Task Report_warns_when_the_optimum_is_on_the_grid_edge()
    {
        using var folder = new TempFolder();
        var dir = await FillAsync(folder);
        var output = await ReportWriter.WriteAllAsync(dir, new TransferSettings("width", 1.0));
        var report = await File.ReadAllTextAsync(output.ReportPath);
        Assert.DoesNotContain("grid too narrow", report);

        using var edgeFolder = new TempFolder();
        await using (var writer = await ResultsWriter.OpenAsync(edgeFolder.Path, [], new ResultsWriterOptions { FlushInterval = Timeout.InfiniteTimeSpan }))
        {
            foreach (var t in Trials.Grid("sp", [64, 1024], Trials.Range(-12, -6, 1), [0], (w, x, _) => Math.Pow(x - (w == 64 ? -9 : -14), 2)))
                await writer.AddAsync(t);
        }
        var edge = await ReportWriter.WriteAllAsync(edgeFolder.Path);
        var edgeReport = await File.ReadAllTextAsync(edge.ReportPath);
        Assert.Contains("grid too narrow", edgeReport);
        Assert.Contains("| **yes** |", edgeReport);
    }

    [Fact]
    public async Task Missing_folder_missing_results_and_unknown_axis_are_input_errors()
    {
        using var folder = new TempFolder();
        await Assert.ThrowsAsync<ReportInputException>(() => ReportWriter.WriteAllAsync(Path.Combine(folder.Path, "nope")));
        await Assert.ThrowsAsync<ReportInputException>(() => ReportWriter.WriteAllAsync(folder.Path));
        await FillAsync(folder);
        var error = await Assert.ThrowsAsync<ReportInputException>(() => ReportWriter.WriteAllAsync(folder.Path, new TransferSettings("dropout", 1.0)));
        Assert.Contains("width", error.Message);
    }

    [Fact]
    public async Task Settings_come_from_sweep_json_and_flags_override_them()
    {
        using var folder = new TempFolder();
        // No sweep.json: what a spec without a transfer section gets, the penalty deciding at 1%.
        Assert.Equal(new TransferSettings("width", 1.0) { ToleranceLoss = 0.01 }, ReportWriter.ResolveSettings(folder.Path));
        // A sweep.json from before the penalty existed: the spread decides, as it did.
        new SweepInfo("s", "depth", 0.5, ["depth", "lr"]).Write(folder.Path);
        Assert.Equal(new TransferSettings("depth", 0.5), ReportWriter.ResolveSettings(folder.Path));
        Assert.Equal(new TransferSettings("width", 2.0), ReportWriter.ResolveSettings(folder.Path, "width", 2.0));
        Assert.Equal(new TransferSettings("depth", 0.5) { ToleranceLoss = 0.02, Target = 4096 }, ReportWriter.ResolveSettings(folder.Path, toleranceLoss: 0.02, target: 4096));
        new SweepInfo("s", "depth", 0.5, ["depth", "lr"]) { ToleranceLoss = 0.03, Target = 512 }.Write(folder.Path);
        Assert.Equal(new TransferSettings("depth", 0.5) { ToleranceLoss = 0.03, Target = 512 }, ReportWriter.ResolveSettings(folder.Path));
        Assert.Equal(new[] { "depth", "lr" }, SweepInfo.TryRead(folder.Path)!.SweptKeys);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Empty_results_still_give_a_report()
    {
        using var folder = new TempFolder();
        await using (await ResultsWriter.OpenAsync(folder.Path, [], new ResultsWriterOptions { FlushInterval = Timeout.InfiniteTimeSpan })) { }
        var output = await ReportWriter.WriteAllAsync(folder.Path);
        Assert.Empty(output.Analysis.Report.Results);
        Assert.All(output.Plots, p => Assert.Equal((p.Width, p.Height), Png.Size(p.Path)));
        Assert.Contains("no trials are stored yet", await File.ReadAllTextAsync(output.ReportPath));
    }
}
