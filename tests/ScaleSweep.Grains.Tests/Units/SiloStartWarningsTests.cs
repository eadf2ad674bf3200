using ScaleSweep.Hosting;

namespace ScaleSweep.Grains.Tests.Units;

/// <summary>What a cluster silo warns about at start: exposure without TLS, and a GPU only command trials use.</summary>
public class SiloStartWarningsTests
{
    private static SiloHostOptions Cluster(string device, string advertise) =>
        new() { Mode = HostingMode.Cluster, Redis = "127.0.0.1:6379", Device = device, Advertise = advertise };

    [Fact]
    public void A_cuda_silo_says_that_built_in_trials_train_on_its_cpu()
    {
        var warning = Assert.Single(SiloHost.StartWarnings(Cluster("cuda:1", "127.0.0.1")));
        Assert.Equal("warning: --device cuda:1: built-in trials train on this silo's CPU; only command trials use the GPU (CUDA_VISIBLE_DEVICES)", warning);
    }

    [Fact]
    public void A_cpu_silo_on_loopback_has_nothing_to_warn_about_and_one_on_the_network_without_tls_does()
    {
        Assert.Empty(SiloHost.StartWarnings(Cluster("cpu", "127.0.0.1")));
        Assert.StartsWith("warning: this silo listens on 10.0.0.7 without TLS", Assert.Single(SiloHost.StartWarnings(Cluster("cpu", "10.0.0.7"))));
    }

    [Fact]
    public void An_embedded_silo_warns_about_nothing()
    {
        Assert.Empty(SiloHost.StartWarnings(new SiloHostOptions { Device = "cuda:0", Advertise = "10.0.0.7" }));
    }
}
