using static TorchSharp.torch;

namespace ScaleSweep.Training.Data;

/// <summary>Fashion-MNIST from the IDX gz files installed by Debian's <c>dataset-fashion-mnist</c>.</summary>
public static class FashionMnist
{
    public const string DefaultPath = "/usr/share/datasets/fashion-mnist";
    public const string DebianPackage = "dataset-fashion-mnist";

    // Per-pixel mean and std of the training set, so inputs are roughly standardised.
    private const float Mean = 0.2860f;
    private const float Std = 0.3530f;

    public static ClassificationData Load(string? directory)
    {
        var dir = directory ?? DefaultPath;
        string File(string name) => Path.Combine(dir, name);
        var needed = new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" };
        var missing = needed.Where(n => !System.IO.File.Exists(File(n))).ToArray();
        if (missing.Length > 0)
            throw new DataUnavailableException(
                $"Fashion-MNIST not found in {dir} (missing {string.Join(", ", missing)}); " +
                $"install the Debian package {DebianPackage} (sudo apt-get install {DebianPackage}) or pass --data-path DIR");

        var (trainX, trainY) = Read(File(needed[0]), File(needed[1]));
        var (evalX, evalY) = Read(File(needed[2]), File(needed[3]));
        return new ClassificationData("fashion-mnist", trainX, trainY, evalX, evalY, Classes: 10);
    }

    private static (Tensor X, Tensor Y) Read(string imagesPath, string labelsPath)
    {
        var images = IdxFile.ReadGz(imagesPath);
        var labels = IdxFile.ReadGz(labelsPath);
        if (images.Shape.Length != 3 || labels.Shape.Length != 1 || images.Shape[0] != labels.Shape[0])
            throw new InvalidDataException($"{imagesPath}: unexpected IDX shapes [{string.Join(",", images.Shape)}] / [{string.Join(",", labels.Shape)}]");
        int n = images.Shape[0], d = images.Shape[1] * images.Shape[2];
        var pixels = new float[images.Data.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (images.Data[i] / 255f - Mean) / Std;
        var y = labels.Data.Select(b => (long)b).ToArray();
        return (tensor(pixels, [n, d]), tensor(y, [n]));
    }
}
