namespace ScaleSweep.Grains.Tests.Support;

/// <summary>A two-silo TestCluster: enough to see a trial run on a silo other than its sweep's.</summary>
public sealed class TwoSiloFixture : ClusterFixture
{
    protected override int Silos => 2;
}

[CollectionDefinition(Name)]
public sealed class TwoSiloCollection : ICollectionFixture<TwoSiloFixture>
{
    public const string Name = "two-silo cluster";
}
