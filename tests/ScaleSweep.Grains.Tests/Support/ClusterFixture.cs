using Orleans.TestingHost;

namespace ScaleSweep.Grains.Tests.Support;

/// <summary>A three-silo TestCluster with a fresh results root, shared by the tests of one collection.</summary>
public class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public string ResultsRoot { get; } = Path.Combine(Path.GetTempPath(), "scalesweep-grains-" + Guid.NewGuid().ToString("N")[..8]);

    protected virtual int Silos => 3;

    protected virtual int SlotsPerSilo => 2;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ResultsRoot);
        var builder = new TestClusterBuilder();
        builder.Options.InitialSilosCount = (short)Silos;
        builder.Properties[TestSiloConfigurator.ResultsRoot] = ResultsRoot;
        builder.Properties[TestSiloConfigurator.Slots] = SlotsPerSilo.ToString();
        builder.AddSiloBuilderConfigurator<TestSiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try { Directory.Delete(ResultsRoot, recursive: true); }
        catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "three-silo cluster";
}
