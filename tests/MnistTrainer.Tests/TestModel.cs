using MnistTrainer.Data;
using MnistTrainer.Model;
using MnistTrainer.Training;

namespace MnistTrainer.Tests;

/// <summary>
/// A small model trained once per test run on <see cref="RealDatasets.MnistTrainPart"/>, the first
/// 7,000 real digits of the committed subset (a few seconds on one core); images 7,000 and up are ones it never saw. Also
/// saved as a model file for the command tests.
/// </summary>
public static class TestModel
{
    public const int TrainedOn = RealDatasets.MnistTrainCount;
    // 5 epochs at lr 0.05, batch 32: well above the tests' 90% on the unseen images (measured in the tests' logs).
    static readonly TrainingOptions Options = new(Epochs: 5, LearningRate: 0.05, BatchSize: 32, Seed: 1);

    static readonly Lazy<(TrainedModel Model, string Path)> Trained = new(Train);

    public static TrainedModel Model => Trained.Value.Model;
    public static string FilePath => Trained.Value.Path;

    static (TrainedModel, string) Train()
    {
        using var train = new ImageTensors(RealDatasets.MnistTrainPart);
        var network = Trainer.NewNetwork(Options.Seed);
        var result = new Trainer(Options).Run(network, train, test: null);
        var summary = new TrainingSummary(Options.Epochs, Options.LearningRate, Options.BatchSize, Options.Seed,
            result.EpochLosses, null, DateTimeOffset.UtcNow);
        var metadata = ModelMetadata.For(DatasetInfo.Mnist.Name, DatasetInfo.Mnist.ClassNames, summary);
        var folder = new TempFolder(); // kept for the whole test run, then deleted
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        var path = folder["mnist.model"];
        ModelFile.Save(path, network, metadata);
        return (new TrainedModel(network, metadata), path);
    }
}
