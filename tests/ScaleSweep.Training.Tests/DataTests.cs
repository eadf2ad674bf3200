using ScaleSweep.Abstractions.Trials;
using ScaleSweep.Training.Data;

namespace ScaleSweep.Training.Tests;

public class DataTests
{
    [Fact]
    public void Idx_gz_round_trips()
    {
        var dir = Directory.CreateTempSubdirectory("idx");
        try
        {
            var path = Path.Combine(dir.FullName, "tiny.gz");
            var data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 7)).ToArray();
            IdxFile.WriteGz(path, [2, 3, 4], data);
            var read = IdxFile.ReadGz(path);
            Assert.Equal([2, 3, 4], read.Shape);
            Assert.Equal(data, read.Data);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Idx_with_a_bad_header_is_rejected()
    {
        Assert.Throws<InvalidDataException>(() => IdxFile.Parse([1, 2, 3, 4], "x"));
        Assert.Throws<InvalidDataException>(() => IdxFile.Parse([0, 0, 8, 1, 0, 0, 0, 5, 1, 2], "x"));
    }

    [Fact]
    public void A_fashion_mnist_folder_written_as_idx_loads_with_labels()
    {
        var dir = Directory.CreateTempSubdirectory("fmnist");
        try
        {
            void Write(string prefix, int n)
            {
                IdxFile.WriteGz(Path.Combine(dir.FullName, $"{prefix}-images-idx3-ubyte.gz"), [n, 28, 28], new byte[n * 784]);
                IdxFile.WriteGz(Path.Combine(dir.FullName, $"{prefix}-labels-idx1-ubyte.gz"), [n], Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray());
            }
            Write("train", 30);
            Write("t10k", 10);
            var data = FashionMnist.Load(dir.FullName);
            Assert.Equal(30, data.TrainCount);
            Assert.Equal(10, data.EvalCount);
            Assert.Equal(784, data.InputSize);
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), data.EvalY.data<long>().ToArray());
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Real_fashion_mnist_has_60000_train_and_10000_eval_examples()
    {
        Assert.True(File.Exists(Path.Combine(FashionMnist.DefaultPath, "train-images-idx3-ubyte.gz")),
            $"Fashion-MNIST is missing: install the Debian package {FashionMnist.DebianPackage} (infra/setup.sh does)");
        var data = DataSets.Load(new DataConfig("fashion-mnist"));
        Assert.Equal(60_000, data.TrainCount);
        Assert.Equal(10_000, data.EvalCount);
        Assert.Equal(784, data.InputSize);
        var labels = data.TrainY.bincount(null, 10).data<long>().ToArray();
        Assert.Equal(10, labels.Length);
        Assert.All(labels, count => Assert.Equal(6000, count));
    }

    [Fact]
    public void A_missing_data_folder_names_the_debian_package()
    {
        var ex = Assert.Throws<DataUnavailableException>(() => FashionMnist.Load("/nonexistent/fashion"));
        Assert.Contains(FashionMnist.DebianPackage, ex.Message);
    }

    [Fact]
    public void Synthetic_data_is_deterministic_and_balanced_enough_to_learn()
    {
        var a = SyntheticClassification.Generate();
        var b = SyntheticClassification.Generate();
        Assert.True(a.TrainX.equal(b.TrainX).all().item<bool>());
        Assert.True(a.TrainY.equal(b.TrainY).all().item<bool>());
        var counts = a.TrainY.bincount(null, 10).data<long>().ToArray();
        Assert.All(counts, c => Assert.True(c > a.TrainCount / 40, $"class with only {c} examples"));
    }

    [Fact]
    public void Batch_sampler_is_seeded_and_covers_an_epoch()
    {
        var first = new BatchSampler(100, 10, 5);
        var again = new BatchSampler(100, 10, 5);
        var epoch = Enumerable.Range(0, 10).SelectMany(_ => first.Next()).ToArray();
        Assert.Equal(epoch, Enumerable.Range(0, 10).SelectMany(_ => again.Next()).ToArray());
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), epoch.Order());
    }
}
