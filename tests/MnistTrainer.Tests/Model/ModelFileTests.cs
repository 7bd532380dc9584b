using MnistTrainer.Model;
using MnistTrainer.Training;
using static TorchSharp.torch;
using MnistTrainer.Files;

namespace MnistTrainer.Tests.Model;

public class ModelFileTests
{
    [Fact]
    public void SavedModelLoadsWithTheSameOutputsAndMetadata()
    {
        using var folder = new TempFolder();
        using var network = Trainer.NewNetwork(seed: 11);
        var summary = new TrainingSummary(3, 0.01, 64, 11, [1.0, 0.6, 0.5], 0.8, DateTimeOffset.UnixEpoch);
        var metadata = ModelMetadata.For("fashion-mnist", MnistTrainer.Data.DatasetInfo.FashionMnist.ClassNames, summary);
        ModelFile.Save(folder["m.model"], network, metadata);

        using var loaded = ModelFile.Load(folder["m.model"]);
        using var input = rand(5, 784, generator: new Generator(3)) * 2 - 1;
        using var expected = network.call(input);
        using var actual = loaded.Network.call(input);
        Assert.Equal(Weights(network), Weights(loaded.Network));
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.Equal("fashion-mnist", loaded.Metadata.Dataset);
        Assert.Equal("Ankle boot", loaded.Metadata.ClassNames[9]);
        Assert.Equal(summary.EpochLosses, loaded.Metadata.Training!.EpochLosses);
    }

    static float[] Weights(TorchSharp.Modules.Sequential network) =>
        network.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();

    [Fact]
    public void AFlippedWeightByteIsRefused()
    {
        using var folder = new TempFolder();
        using var network = Trainer.NewNetwork(seed: 1);
        ModelFile.Save(folder["m.model"], network, ModelMetadata.For("mnist", MnistTrainer.Data.DatasetInfo.Mnist.ClassNames, null));
        var bytes = File.ReadAllBytes(folder["m.model"]);
        bytes[^100] ^= 0x40;
        File.WriteAllBytes(folder["m.model"], bytes);

        var e = Assert.ThrowsAny<FileProblemException>(() => ModelFile.Load(folder["m.model"]));
        Assert.Contains("damaged", e.Message);
    }
}
