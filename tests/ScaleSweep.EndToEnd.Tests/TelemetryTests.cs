using System.Net;
using Xunit.Abstractions;

namespace ScaleSweep.EndToEnd.Tests;

/// <summary>OTLP export of <c>run</c>, and the plain progress lines of <c>run</c> and <c>watch</c> (stdout not a terminal).</summary>
public class TelemetryTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "scalesweep-telemetry-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    [Fact]
    public void Run_exports_metrics_and_traces_over_OTLP_http_and_prints_parseable_progress()
    {
        using var collector = OtlpListener.Start();
        var spec = Path.Combine(_dir, "otlp.yaml");
        File.WriteAllText(spec, """
            name: e2e-otlp
            model: { kind: noop, work_ms: 40 }
            data: { kind: synthetic }
            train: { optimizer: adam, steps: 10, batch: 8 }
            parameterizations: [mup]
            grid:
              width: [64, 128, 256]
              lr: { log2: { from: -9, to: -6, step: 1 } }
            transfer: { axis: width, tolerance_log2: 1.0 }
            """);
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_SERVICE_NAME"] = "scalesweep-e2e",
        };

        var run = CliProcess.Run(Timeout, environment, "run", spec, "--out", Path.Combine(_dir, "out"), "--slots", "2");
        Assert.True(run.ExitCode == 0, run.Stderr);
        output.WriteLine(string.Join(", ", collector.Requests.GroupBy(r => r.Path).Select(g => $"{g.Key} x{g.Count()}")));

        // The exporter appended the signal paths to the base endpoint; the providers were flushed at exit.
        Assert.True(collector.Received("/v1/metrics", "scalesweep.trials.completed"), "no ScaleSweep metrics on /v1/metrics");
        Assert.True(collector.Received("/v1/metrics", "scalesweep.train.steps"));
        Assert.True(collector.Received("/v1/traces", "sweep.id"), "no ScaleSweep spans on /v1/traces");
        Assert.True(collector.Received("/v1/traces", "scalesweep-e2e"), "OTEL_SERVICE_NAME not in the resource");
        Assert.DoesNotContain(collector.Requests, r => r.Path == "/v1/logs");

        // Not a terminal: plain progress lines, the last one complete, with the best loss per width at 2^-8.
        Assert.DoesNotContain("\r", run.Stdout);
        var lines = ProgressLine.Parse(run.Stdout);
        var last = lines[^1];
        Assert.Equal(("completed", 12, 12, 0, 0), (last.State, last.Done, last.Total, last.Running, last.Pending));
        Assert.Equal(["width=128", "width=256", "width=64"], last.Best.Keys.Order(StringComparer.Ordinal));
        Assert.All(last.Best.Values, b => Assert.Equal(-8, b.Log2Lr));
    }

    [Fact]
    public async Task Watch_prints_parseable_progress_lines_and_the_silo_serves_its_dashboard()
    {
        using var cluster = new LocalCluster();
        var dashboardPort = Hosting.FreePorts.Next();
        var silos = await cluster.StartSilosAsync(["watch-a"], ["--dashboard-port", dashboardPort.ToString()]);
        Assert.Contains($"dashboard http://127.0.0.1:{dashboardPort}/", silos[0].Log);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
        {
            var page = await http.GetAsync($"http://127.0.0.1:{dashboardPort}/");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        // The gate holds the sweep after 12 trials until watch has printed a line from the middle of it, so a loaded
        // machine that starts watch late still sees the sweep running.
        var gate = Path.Combine(cluster.ResultsRoot, "e2e-watch.gate");
        var spec = cluster.WriteSpec("e2e-watch", workMs: 200, gate: gate, gatePasses: 12);
        var id = cluster.Submit(spec);
        using var watching = CliProcess.Start("watch", id, "--redis", cluster.Redis.Address, "--interval", "0.3");
        await watching.WaitForLogAsync("done=12 total=63", Timeout);
        File.WriteAllText(gate, "open");
        Assert.Equal(0, watching.WaitForExit(Timeout));
        var stdout = watching.Log;
        Assert.DoesNotContain("\r", stdout);

        var lines = ProgressLine.Parse(stdout);
        output.WriteLine(string.Join("\n", lines.Take(3).Concat(lines.TakeLast(1))));
        Assert.True(lines.Count >= 3, stdout);
        Assert.All(lines, l =>
        {
            Assert.Equal(id, l.Sweep);
            Assert.Equal(63, l.Total);
            Assert.Equal(l.Total, l.Done + l.Running + l.Pending);
            Assert.Equal(0, l.Failed + l.Diverged + l.Cancelled);
        });
        Assert.Equal(lines.Select(l => l.Done).Order(), lines.Select(l => l.Done));
        Assert.Contains(lines, l => l.Done > 0 && l.Done < l.Total && l.RatePerMinute > 0 && l.EtaSeconds is not null);
        var last = lines[^1];
        Assert.Equal(("completed", 63), (last.State, last.Done));
        Assert.Equal(["width=128", "width=256", "width=64"], last.Best.Keys.Order(StringComparer.Ordinal));
        Assert.Contains($"done sweep={id} state=completed total=63 completed=63", stdout);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
