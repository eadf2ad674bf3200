using System.Diagnostics;
using System.Text;

namespace ScaleSweep.Training.Tests;

/// <summary>
/// The build step that marks libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak: it patches only when the
/// host libstdc++ lacks that version, changes exactly the one flag, and is idempotent. (That TorchSharp then
/// loads on Debian 12 is shown by every other test in this project.)
/// </summary>
public class LibTorchSharpPatchTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("patch");

    public void Dispose() => work.Delete(true);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orleans.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("repository root (Orleans.sln) not found");
    }

    private static string PackagedLibrary()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"TorchSharp 0.107.0 package not restored at {path}");
        return path;
    }

    /// <summary>Builds a bare project whose Build copies the packaged library to its output, with a fake host libstdc++.</summary>
    private byte[] BuildWithHostProviding(bool providesVersion)
    {
        var fakeHost = Path.Combine(work.FullName, "libstdc++.so.6");
        File.WriteAllBytes(fakeHost, Encoding.ASCII.GetBytes(providesVersion ? "GLIBCXX_3.4.30\0GLIBCXX_3.4.32\0" : "GLIBCXX_3.4.30\0"));
        var output = Path.Combine(work.FullName, "out") + "/";
        var project = Path.Combine(work.FullName, "probe.proj");
        File.WriteAllText(project, $"""
            <Project>
              <Import Project="{RepoRoot()}/build/LibTorchSharpGlibcxxPatch.targets" />
              <Target Name="Build">
                <!-- Copied once, so a second build sees the already patched file. -->
                <Copy Condition="!Exists('$(OutDir)runtimes/linux-x64/native/libLibTorchSharp.so')"
                      SourceFiles="{PackagedLibrary()}" DestinationFolder="$(OutDir)runtimes/linux-x64/native" />
              </Target>
            </Project>
            """);
        var info = new ProcessStartInfo("dotnet", ["msbuild", project, "-t:Build", "-nologo", $"-p:OutDir={output}", $"-p:ScaleSweepHostLibStdCxx={fakeHost}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var log = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, log);
        return File.ReadAllBytes(Path.Combine(output, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"));
    }

    [Fact]
    public void Patches_one_flag_only_where_the_host_lacks_the_version_and_is_idempotent()
    {
        var original = File.ReadAllBytes(PackagedLibrary());

        var untouched = BuildWithHostProviding(providesVersion: true);
        Assert.Equal(original, untouched);
        Directory.Delete(Path.Combine(work.FullName, "out"), true);

        var patched = BuildWithHostProviding(providesVersion: false);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        var index = Assert.Single(changed);
        Assert.Equal(original[index] | 0x2, patched[index]); // VER_FLG_WEAK set in vna_flags

        var again = BuildWithHostProviding(providesVersion: false); // patches the already patched output again
        Assert.Equal(patched, again);
    }
}
