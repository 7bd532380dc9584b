using MnistTrainer.Data;
using MnistTrainer.Model;
using MnistTrainer.Training;

namespace MnistTrainer.Tests;

/// <summary>A valid model file with random weights, for tests that need a model to load but not a good one (no data needed).</summary>
public static class UntrainedModel
{
    static readonly Lazy<string> File = new(() =>
    {
        var folder = new TempFolder(); // kept for the whole test run, then deleted
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        var path = folder["mnist.model"];
        using var network = Trainer.NewNetwork(seed: 0);
        ModelFile.Save(path, network, ModelMetadata.For(DatasetInfo.Mnist.Name, DatasetInfo.Mnist.ClassNames, training: null));
        return path;
    });

    public static string FilePath => File.Value;
}
