// Test clusters are heavy on a small machine: run the collections one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
